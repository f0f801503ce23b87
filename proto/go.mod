module github.com/deskwire/newsroom/proto

go 1.26

require google.golang.org/protobuf v1.36.12

require github.com/planetscale/vtprotobuf v0.6.0

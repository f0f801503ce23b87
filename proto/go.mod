module github.com/deskwire/newsroom/proto

go 1.26

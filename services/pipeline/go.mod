module github.com/deskwire/newsroom/services/pipeline

go 1.26

require github.com/deskwire/newsroom/proto v0.0.0

replace github.com/deskwire/newsroom/proto => ../../proto

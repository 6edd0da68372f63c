// Command s3server serves an in-memory S3 (gofakes3) on 127.0.0.1 for
// ivscdk's tests: localaws.S3 builds and starts it. It is its own module,
// so that the library's go.mod names no test-only tool.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func main() {
	address := flag.String("address", "127.0.0.1:0", "where to listen")
	flag.Parse()
	faker := gofakes3.New(s3mem.New())
	log.Fatal(http.ListenAndServe(*address, faker.Server()))
}

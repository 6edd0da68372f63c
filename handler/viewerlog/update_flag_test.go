package viewerlog

import "flag"

// The module's golden files are rewritten with `go test ./... -update`:
// every test binary takes the flag, this package having no golden files.
var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

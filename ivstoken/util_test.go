package ivstoken

import (
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"strconv"
	"time"
)

// testNow is the tests' clock: years after any day they will run on, so
// that no test depends on the wall clock. Signers get it via WithClock.
var testNow = time.Date(2041, time.March, 14, 15, 9, 26, 0, time.UTC)

func testClock() time.Time { return testNow }

func itoa(n int64) string       { return strconv.FormatInt(n, 10) }
func p256Curve() elliptic.Curve { return elliptic.P256() }
func randReader() io.Reader     { return rand.Reader }

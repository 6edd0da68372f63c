package ivstoken

import (
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"strconv"
)

func itoa(n int64) string       { return strconv.FormatInt(n, 10) }
func p256Curve() elliptic.Curve { return elliptic.P256() }
func randReader() io.Reader     { return rand.Reader }

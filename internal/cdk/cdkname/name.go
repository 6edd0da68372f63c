// Package cdkname computes the CDK's generated physical names in Go.
//
// It gives the same result as awscdk.Names_UniqueResourceName, but from
// construct paths that ivscdk already holds, so that naming a resource costs
// no jsii round trip.
package cdkname

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
)

const (
	hiddenFromHumanID = "Resource"
	hiddenID          = "Default"
	hashLength        = 8
)

// UniqueResourceName returns the name the CDK's Names.uniqueResourceName
// gives for the path components (the top-level stack's name first, then the
// construct IDs below it), at most maxLength characters long, keeping only
// letters, digits and the characters in allowedSpecial.
func UniqueResourceName(components []string, maxLength int, allowedSpecial string) string {
	var kept []string
	for _, c := range components {
		if c != hiddenID {
			kept = append(kept, c)
		}
	}
	if len(kept) == 1 {
		if name := keepAllowed(kept[0], allowedSpecial); len(name) <= maxLength {
			return name
		}
	}
	hash := pathHash(kept)
	var human strings.Builder
	for _, c := range removeDupes(kept) {
		if c != hiddenFromHumanID {
			human.WriteString(keepAllowed(c, allowedSpecial))
		}
	}
	h := human.String()
	if maxHuman := maxLength - hashLength; len(h) > maxHuman {
		half := maxHuman / 2
		h = h[:half] + h[len(h)-half:]
	}
	return h + hash
}

func pathHash(components []string) string {
	sum := md5.Sum([]byte(strings.Join(components, "/")))
	return strings.ToUpper(hex.EncodeToString(sum[:]))[:hashLength]
}

// removeDupes drops a component when the one before it ends with it, as the
// CDK does (so "Stack/Stack" reads "Stack" in the human part).
func removeDupes(components []string) []string {
	out := make([]string, 0, len(components))
	for _, c := range components {
		if len(out) == 0 || !strings.HasSuffix(out[len(out)-1], c) {
			out = append(out, c)
		}
	}
	return out
}

// keepAllowed drops every character that is not an ASCII letter, digit or
// one of allowedSpecial.
func keepAllowed(s, allowedSpecial string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		case r < 0x80 && strings.ContainsRune(allowedSpecial, r):
			return r
		}
		return -1
	}, s)
}

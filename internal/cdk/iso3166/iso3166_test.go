package iso3166

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestCheck(t *testing.T) {
	for _, ok := range []string{"US", "GB", "DE", "AQ", "TW", "PS", "SS", "BQ"} {
		if err := Check(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for code, want := range map[string]string{
		"UK":  `use "GB"`,
		"EL":  `use "GR"`,
		"SU":  "withdrawn from ISO 3166-1 (USSR",
		"YU":  "withdrawn from ISO 3166-1 (Yugoslavia",
		"ZR":  `use "CD"`,
		"TP":  `use "TL"`,
		"XK":  "not an officially assigned",
		"EU":  "not an officially assigned",
		"UN":  "not an officially assigned",
		"AC":  "not an officially assigned",
		"EZ":  "not an officially assigned",
		"CP":  "not an officially assigned",
		"us":  `write it in capitals, "US"`,
		"USA": "not an officially assigned",
		"":    "not an officially assigned",
	} {
		if err := Check(code); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", code, err, want)
		}
	}
	if Count() != 249 {
		t.Errorf("%d codes, want ISO 3166-1's 249", Count())
	}
}

// TestListMatchesTheSystemISOCodes compares the generated list with the
// iso-codes package when the machine has it.
func TestListMatchesTheSystemISOCodes(t *testing.T) {
	b, err := os.ReadFile("/usr/share/iso-codes/json/iso_3166-1.json")
	if err != nil {
		t.Skip("iso-codes is not installed")
	}
	var part1 struct {
		Codes []struct {
			Alpha2 string `json:"alpha_2"`
		} `json:"3166-1"`
	}
	if err := json.Unmarshal(b, &part1); err != nil {
		t.Fatal(err)
	}
	if len(part1.Codes) != Count() {
		t.Errorf("the system lists %d codes, codes.go %d: run go run gen.go", len(part1.Codes), Count())
	}
	for _, c := range part1.Codes {
		if Check(c.Alpha2) != nil {
			t.Errorf("%s is assigned but not in codes.go", c.Alpha2)
		}
	}
}

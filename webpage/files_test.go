package webpage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/webpage"
)

// TestFilesAreDeployedBesideThePage: each of Files is one more source of
// the page's deployment (an asset of its bytes), after the page's own
// files and config.json.
func TestFilesAreDeployedBesideThePage(t *testing.T) {
	env := cdktest.New(t)
	webpage.New(env.Stack, "Page", &webpage.Props{Directory: "testdata/site",
		Files: map[string][]byte{"signin.js": []byte("window.x = 1;\n"), "js/more.js": []byte("window.y = 2;\n")}})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	deployments := template.FindResources(jsii.String("Custom::CDKBucketDeployment"), nil)
	for _, d := range *deployments {
		keys := (*d)["Properties"].(map[string]any)["SourceObjectKeys"].([]any)
		if len(keys) != 4 {
			t.Errorf("the deployment has %d sources, want 4: the page's files, config.json and the 2 Files", len(keys))
		}
	}
	// The file's bytes are in the assembly, as the deployment uploads them.
	found := 0
	filepath.WalkDir(env.Outdir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (d.Name() == "signin.js" || d.Name() == "more.js") {
			if b, _ := os.ReadFile(p); strings.HasPrefix(string(b), "window.") {
				found++
			}
		}
		return nil
	})
	if found != 2 {
		t.Errorf("%d of the 2 Files are in the cloud assembly", found)
	}
}

// TestFilesRefuseTakenAndBadNames, and a wrong integrity on one of them.
func TestFilesRefuseTakenAndBadNames(t *testing.T) {
	shareScriptBuilds(t)
	js := []byte("window.x = 1;\n")
	for name, c := range map[string]struct {
		files map[string][]byte
		head  string
		want  string
	}{
		"absolute":  {files: map[string][]byte{"/signin.js": js}, want: `Files "/signin.js" is invalid: name each file by its path from the page's root`},
		"outside":   {files: map[string][]byte{"../signin.js": js}, want: `Files "../signin.js" is invalid`},
		"unclean":   {files: map[string][]byte{"js//signin.js": js}, want: `Files "js//signin.js" is invalid`},
		"empty":     {files: map[string][]byte{"": js}, want: `Files "" is invalid`},
		"config":    {files: map[string][]byte{"config.json": js}, want: `Files "config.json" is taken: the page's config.json is written from Config`},
		"scripts":   {files: map[string][]byte{"sdk/x.js": js}, want: `Files "sdk/x.js" is under sdk/, where the built Scripts`},
		"directory": {files: map[string][]byte{"index.html": js}, want: `Files "index.html" is also in Directory`},
		"integrity": {files: map[string][]byte{"signin.js": js}, head: `<script src="signin.js" integrity="sha384-AAAA"></script>`,
			want: `index.html loads signin.js with integrity "sha384-AAAA", but Files holds "` + webpage.Integrity(js) + `"`},
	} {
		t.Run(name, func(t *testing.T) {
			props := scriptedPage(t, c.head)
			props.Files = c.files
			if _, messages := pageMessages(t, props); !strings.Contains(messages, c.want) {
				t.Errorf("messages %q lack %q", messages, c.want)
			}
		})
	}
	// The right integrity, or none, is accepted.
	for _, head := range []string{`<script src="signin.js" integrity="` + webpage.Integrity(js) + `"></script>`, `<script src="signin.js"></script>`} {
		props := scriptedPage(t, head)
		props.Files = map[string][]byte{"signin.js": js}
		if _, messages := pageMessages(t, props); messages != "" {
			t.Errorf("%s: %s", head, messages)
		}
	}
}

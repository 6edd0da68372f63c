package webpage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/webpage"
)

// ivsSDKs builds the IVS web SDKs (in the user's cache, as a synthesis
// does) and returns the folder that holds sdk/.
func ivsSDKs(t *testing.T) string {
	t.Helper()
	built, err := webpage.BuildIVSSDKs()
	if err != nil {
		t.Fatal(err)
	}
	return built
}

func TestIVSSDKsAreBuiltIntoThePage(t *testing.T) {
	built := ivsSDKs(t)
	for _, name := range []string{webpage.PlayerScript, webpage.PlayerWorker, webpage.PlayerWasm, webpage.ChatScript, webpage.BroadcastScript} {
		if info, err := os.Stat(filepath.Join(built, webpage.SDKFolder, name)); err != nil || info.Size() < 1000 {
			t.Errorf("%s/%s: %v, %v; want the built SDK file", webpage.SDKFolder, name, info, err)
		}
	}
	// The same project again is the same build.
	if again := ivsSDKs(t); again != built {
		t.Errorf("a second build is %q, want the cached %q", again, built)
	}
	chat, err := os.ReadFile(filepath.Join(built, webpage.SDKFolder, webpage.ChatScript))
	if err != nil {
		t.Fatal(err)
	}
	page := func(t *testing.T, head string) *webpage.Props {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>t</title>"+head), 0o644)
		return &webpage.Props{Directory: dir, IVSSDKs: true}
	}
	want := webpage.Integrity(chat)
	t.Run("integrity", func(t *testing.T) {
		env, messages := pageMessages(t, page(t, `<script src="sdk/amazon-ivs-chat-messaging.js" integrity="`+want+`"></script>`))
		if messages != "" {
			t.Fatalf("a page whose SDK script carries its integrity: %s", messages)
		}
		for _, r := range env.Synth()["Resources"].(map[string]any) {
			resource := r.(map[string]any)
			if resource["Type"] != "Custom::CDKBucketDeployment" {
				continue
			}
			if keys := resource["Properties"].(map[string]any)["SourceObjectKeys"].([]any); len(keys) != 3 {
				t.Errorf("the deployment's sources are %v; want the SDKs, the page's files and config.json", keys)
			}
		}
	})
	t.Run("no integrity", func(t *testing.T) {
		_, messages := pageMessages(t, page(t, `<script src="sdk/amazon-ivs-chat-messaging.js"></script>`))
		if !strings.Contains(messages, `loads the built script sdk/amazon-ivs-chat-messaging.js with no integrity attribute: add integrity="`+want+`"`) {
			t.Errorf("messages %q", messages)
		}
	})
	t.Run("its own sdk folder", func(t *testing.T) {
		props := page(t, "")
		os.MkdirAll(filepath.Join(props.Directory, "sdk"), 0o755)
		if _, messages := pageMessages(t, props); !strings.Contains(messages, `has its own sdk, where IVSSDKs puts the IVS web SDKs`) {
			t.Errorf("messages %q", messages)
		}
	})
	t.Run("a file under sdk", func(t *testing.T) {
		props := page(t, "")
		props.Files = map[string][]byte{"sdk/x.js": []byte("x")}
		if _, messages := pageMessages(t, props); !strings.Contains(messages, `Files "sdk/x.js" is under sdk/, where IVSSDKs puts the IVS web SDKs`) {
			t.Errorf("messages %q", messages)
		}
	})
	t.Run("scripts named sdk too", func(t *testing.T) {
		// In the user's cache, which holds the SDKs built above: a cache
		// of its own would build them again.
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		useScriptCache(t, cache)
		props := scriptedPage(t, "")
		props.IVSSDKs = true
		if _, messages := pageMessages(t, props); !strings.Contains(messages, `would be deployed under sdk/, where IVSSDKs puts the IVS web SDKs`) {
			t.Errorf("messages %q", messages)
		}
	})
}

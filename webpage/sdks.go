package webpage

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SDKFolder is where Props.IVSSDKs puts the Amazon IVS web SDKs, from the
// page's root: <script src="sdk/amazon-ivs-player.js" integrity="...">.
const SDKFolder = "sdk"

// The files IVSSDKs deploys under SDKFolder: load the ones a page uses
// with a <script> tag carrying the file's integrity (synthesis names it).
const (
	// PlayerScript is the Player Web SDK (window.IVSPlayer); its
	// WebAssembly worker and binary (PlayerWorker, PlayerWasm) are beside
	// it, for IVSPlayer.create({wasmWorker, wasmBinary}). The page needs
	// Props.WebAssembly.
	PlayerScript = "amazon-ivs-player.js"
	// PlayerWorker is the player's WebAssembly worker.
	PlayerWorker = "amazon-ivs-wasmworker.min.js"
	// PlayerWasm is the player's WebAssembly binary.
	PlayerWasm = "amazon-ivs-wasmworker.min.wasm"
	// ChatScript is the Chat Client Messaging SDK (window.IVSChatMessaging).
	ChatScript = "amazon-ivs-chat-messaging.js"
	// BroadcastScript is the Web Broadcast SDK (window.IVSBroadcastClient),
	// for publishing to a stage or a channel from the browser.
	BroadcastScript = "amazon-ivs-web-broadcast.js"
)

// sdkProject is the npm project that builds the IVS web SDKs: its
// package-lock.json pins each SDK and every package they use (npm checks
// each one's sha512 before the build runs).
//
//go:embed sdk/package.json sdk/package-lock.json sdk/build.mjs
var sdkProject embed.FS

// BuildIVSSDKs builds the Amazon IVS web SDKs as Props.IVSSDKs deploys
// them, and returns the folder that holds them under SDKFolder. It writes
// ivscdk's own pinned npm project (the player, chat messaging and web
// broadcast SDKs; see package.json in this package's sdk folder) to the
// user's cache folder and builds it there as BuildScripts builds a page's
// Scripts, so the build is kept for the next synthesis. It needs npm on
// PATH. The browser tests serve a page with it.
func BuildIVSSDKs() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("IVSSDKs: no cache folder to build the IVS web SDKs in: %w", err)
	}
	h := sha256.New()
	files, err := fs.Glob(sdkProject, "sdk/*")
	if err != nil {
		return "", err
	}
	contents := map[string][]byte{}
	for _, name := range files {
		data, err := sdkProject.ReadFile(name)
		if err != nil {
			return "", err
		}
		contents[name] = data
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
	}
	// The project is written under its own hash, in a folder named
	// SDKFolder: the build's files are deployed under that name.
	project := filepath.Join(cache, "ivscdk", "ivs-sdks", hex.EncodeToString(h.Sum(nil))[:16], SDKFolder)
	for name, data := range contents {
		target := filepath.Join(project, filepath.Base(name))
		if existing, err := os.ReadFile(target); err == nil && string(existing) == string(data) {
			continue
		}
		if err := os.MkdirAll(project, 0o755); err != nil {
			return "", fmt.Errorf("IVSSDKs: %w", err)
		}
		// Written aside, then renamed: a synthesis running beside this
		// one never reads half a file.
		tmp, err := os.CreateTemp(project, ".write-")
		if err != nil {
			return "", fmt.Errorf("IVSSDKs: %w", err)
		}
		_, err = tmp.Write(data)
		if closeErr := tmp.Close(); err == nil {
			err = closeErr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), target)
		}
		if err != nil {
			os.Remove(tmp.Name())
			return "", fmt.Errorf("IVSSDKs: %w", err)
		}
	}
	built, err := buildFolder(project)
	if err != nil {
		return "", fmt.Errorf("IVSSDKs: %w", err)
	}
	return built, nil
}

package browser

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// tools are what TestMain prepared: the IVS Player SDK as its CDN serves
// it, and a few seconds of HLS.
var tools struct {
	// playerDir holds amazon-ivs-player.min.js (bundled from npm) and the
	// SDK's worker and WebAssembly files, as on the CDN.
	playerDir string
	// broadcastDir holds amazon-ivs-web-broadcast.js, as on the CDN (the
	// npm build is the same UMD script).
	broadcastDir string
	// chatDir holds "+esm": the chat messaging SDK bundled as one ES
	// module, as the CDN serves it.
	chatDir string
	// hlsDir holds stream.m3u8 and its segments.
	hlsDir string
	// chromium is the browser's path.
	chromium string
	// rie is AWS's Lambda Runtime Interface Emulator, at the version the
	// rehearsal module pins; moderator is examples/chat-room/moderator
	// built for this machine as golambda builds it (Linux, no cgo,
	// lambda.norpc), the RIE runs it as a Lambda bootstrap.
	rie, moderator string
}

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("browser: skipped in -short mode")
		os.Exit(0)
	}
	tmp, err := os.MkdirTemp("", "ivscdk-browser")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := prepare(tmp); err != nil {
		fmt.Fprintln(os.Stderr, "browser tests:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(tmp)
	os.Exit(code)
}

func prepare(tmp string) error {
	var err error
	if tools.chromium, err = exec.LookPath("chromium"); err != nil {
		return fmt.Errorf("no chromium: install it (apt-get install chromium): %w", err)
	}
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return fmt.Errorf("no ffmpeg: install it (apt-get install ffmpeg): %w", err)
	}
	// The SDK from npm, pinned in package-lock.json, bundled as the CDN's
	// script (a global IVSPlayer).
	npm := filepath.Join(tmp, "npm")
	os.MkdirAll(npm, 0o755)
	for _, f := range []string{"package.json", "package-lock.json"} {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		os.WriteFile(filepath.Join(npm, f), data, 0o644)
	}
	if err := run(npm, "npm", "ci", "--no-audit", "--no-fund"); err != nil {
		return err
	}
	tools.playerDir = filepath.Join(tmp, "player")
	os.MkdirAll(tools.playerDir, 0o755)
	os.WriteFile(filepath.Join(npm, "entry.js"), []byte(`window.IVSPlayer = require("amazon-ivs-player");`), 0o644)
	if err := run(npm, filepath.Join(npm, "node_modules", ".bin", "esbuild"), "entry.js", "--bundle", "--format=iife", "--minify",
		"--outfile="+filepath.Join(tools.playerDir, "amazon-ivs-player.min.js")); err != nil {
		return err
	}
	assets := filepath.Join(npm, "node_modules", "amazon-ivs-player", "dist", "assets")
	entries, err := os.ReadDir(assets)
	if err != nil {
		return err
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(assets, e.Name()))
		if err != nil {
			return err
		}
		os.WriteFile(filepath.Join(tools.playerDir, e.Name()), data, 0o644)
	}
	tools.chatDir = filepath.Join(tmp, "chat")
	os.MkdirAll(tools.chatDir, 0o755)
	os.WriteFile(filepath.Join(npm, "chat.js"), []byte(`export * from "amazon-ivs-chat-messaging";`), 0o644)
	if err := run(npm, filepath.Join(npm, "node_modules", ".bin", "esbuild"), "chat.js", "--bundle", "--format=esm", "--minify",
		"--outfile="+filepath.Join(tools.chatDir, "+esm")); err != nil {
		return err
	}
	tools.broadcastDir = filepath.Join(tmp, "broadcast")
	os.MkdirAll(tools.broadcastDir, 0o755)
	broadcast, err := os.ReadFile(filepath.Join(npm, "node_modules", "amazon-ivs-web-broadcast", "dist", "amazon-ivs-web-broadcast.js"))
	if err != nil {
		return err
	}
	os.WriteFile(filepath.Join(tools.broadcastDir, "amazon-ivs-web-broadcast.js"), broadcast, 0o644)
	tools.rie = filepath.Join(tmp, "aws-lambda-rie")
	if err := run(filepath.Join("..", "rehearsal"), "go", "build", "-o", tools.rie,
		"github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"); err != nil {
		return err
	}
	tools.moderator = filepath.Join(tmp, "moderator", "bootstrap")
	build := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", tools.moderator, "./examples/chat-room/moderator")
	build.Dir = ".."
	build.Env = append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the chat-room moderator: %v\n%s", err, out)
	}
	// Six seconds of test pattern and tone, as two-second HLS segments.
	tools.hlsDir = filepath.Join(tmp, "hls")
	os.MkdirAll(tools.hlsDir, 0o755)
	return run(tools.hlsDir, "ffmpeg", "-hide_banner", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
		"-t", "6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "30", "-c:a", "aac",
		"-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod", "stream.m3u8")
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %w\n%s", name, args, err, out)
	}
	return nil
}

// newBrowser starts headless Chromium for one test, with the flags this
// machine's closed network needs, and returns its context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(tools.chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		// A camera and microphone that need no device or permission prompt.
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.WindowSize(1280, 800),
	)
	allocator, cancelAllocator := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocator)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelBrowser(); cancelAllocator() })
	return ctx
}

// screenshot saves the page as name.png in IVSCDK_SCREENSHOTS, when set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("IVSCDK_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}

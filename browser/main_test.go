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

// tools are what TestMain prepared: the browser, the Lambda emulator and
// a few seconds of HLS. (The pages' SDKs are built by webpage.BuildScripts
// from each example's sdk/, as the deploy builds them.)
var tools struct {
	// hlsDir holds stream.m3u8 and its segments; byteRangeDir the same
	// video as one file with a byte-range playlist (EXT-X-BYTERANGE),
	// byte-range-variant.m3u8, as IVS writes beside each rendition;
	// fmp4Dir the same video as fragmented MP4 segments (playlist.m3u8,
	// init.mp4, 0.mp4, …), as individual participant recording writes it.
	hlsDir, byteRangeDir, fmp4Dir string
	// cuesDir holds the same video with timed metadata (cues.m3u8): the
	// texts of streamCues as ID3 tags, one a second from the start.
	cuesDir string
	// chromium is the browser's path.
	chromium string
	// rie is AWS's Lambda Runtime Interface Emulator, at the version the
	// rehearsal module pins.
	rie string
	// moderators are the chat-room and live-event examples' moderators
	// (examples/<example>/moderator), by example, built for this machine
	// as golambda builds them (Linux, no cgo, lambda.norpc): the RIE runs
	// each as a Lambda bootstrap.
	moderators map[string]string
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
	tools.rie = filepath.Join(tmp, "aws-lambda-rie")
	if err := run(filepath.Join("..", "rehearsal"), "go", "build", "-o", tools.rie,
		"github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"); err != nil {
		return err
	}
	tools.moderators = map[string]string{}
	for _, example := range []string{"chat-room", "live-event"} {
		bootstrap := filepath.Join(tmp, example+"-moderator", "bootstrap")
		build := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", bootstrap, "./examples/"+example+"/moderator")
		build.Dir = ".."
		build.Env = append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("building the %s moderator: %v\n%s", example, err, out)
		}
		tools.moderators[example] = bootstrap
	}
	// Six seconds of test pattern and tone, as two-second HLS segments.
	tools.hlsDir = filepath.Join(tmp, "hls")
	os.MkdirAll(tools.hlsDir, 0o755)
	if err := run(tools.hlsDir, "ffmpeg", "-hide_banner", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
		"-t", "6", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "30", "-c:a", "aac",
		"-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod", "stream.m3u8"); err != nil {
		return err
	}
	tools.byteRangeDir = filepath.Join(tmp, "byte-range")
	os.MkdirAll(tools.byteRangeDir, 0o755)
	if err := run(tools.byteRangeDir, "ffmpeg", "-hide_banner", "-loglevel", "error",
		"-i", filepath.Join(tools.hlsDir, "stream.m3u8"), "-c", "copy",
		"-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_flags", "single_file",
		"-hls_segment_filename", "byte-range-variant.ts", "byte-range-variant.m3u8"); err != nil {
		return err
	}
	tools.cuesDir = filepath.Join(tmp, "cues")
	os.MkdirAll(tools.cuesDir, 0o755)
	if err := writeID3Stream(filepath.Join(tools.cuesDir, "id3.ts"), streamCues); err != nil {
		return err
	}
	if err := run(tools.cuesDir, "ffmpeg", "-hide_banner", "-loglevel", "error",
		"-i", filepath.Join(tools.hlsDir, "stream.m3u8"), "-i", "id3.ts", "-map", "0:v", "-map", "0:a", "-map", "1:d", "-c", "copy",
		"-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod", "-hls_segment_filename", "cues%d.ts", "cues.m3u8"); err != nil {
		return err
	}
	tools.fmp4Dir = filepath.Join(tmp, "fmp4")
	os.MkdirAll(tools.fmp4Dir, 0o755)
	return run(tools.fmp4Dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
		"-i", filepath.Join(tools.hlsDir, "stream.m3u8"), "-c", "copy", "-bsf:a", "aac_adtstoasc",
		"-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod",
		"-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "%d.mp4", "playlist.m3u8")
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

package webpage

import _ "embed"

// WatchScript is the name WatchFiles deploys the watching script under,
// beside the page's files: an ES module, imported by the page's own
// module script (import { Watch } from "./ivscdk-watch.js").
const WatchScript = "ivscdk-watch.js"

//go:embed watch.js
var watchScript []byte

// WatchFiles returns the files a page that plays a private channel
// deploys beside its own (Props.Files; merge it with signin.PageFiles,
// which it needs): ivscdk-watch.js, whose Watch(config, page, options)
// plays the channel with a playback token from the token endpoint, shows
// the stream's cues over the video, lists the past broadcasts of an
// ivs.RecordingLibrary and plays them (with rewind while live), each state
// said in words. The page loads the player SDK (IVSSDKs, WebAssembly) and
// signin.js first; watch.js in this package documents the elements and
// settings it reads. A copy each time.
func WatchFiles() map[string][]byte {
	return map[string][]byte{WatchScript: append([]byte(nil), watchScript...)}
}

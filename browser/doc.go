// Package browser proves the examples' pages in a real browser: headless
// Chromium, driven from Go with chromedp, loads a page as the deploy would
// serve it (its files and the config.json the deploy writes), signs in at
// a local OpenID Connect provider (authorization code with PKCE, a JWKS,
// ID tokens), calls the real token handler behind a local HTTP API adapter
// that checks the JWT as API Gateway's JWT authorizer does, and plays with
// the real IVS web SDKs, built into the page from the example's sdk/ (npm,
// pinned by its lockfile) by webpage.BuildScripts, as the deploy builds
// them, integrity attributes included. The chat
// page's messages are reviewed by the example's own moderator, run under
// AWS's Lambda Runtime Interface Emulator (the version the rehearsal
// module pins).
//
// It is a separate module so that chromedp never becomes a dependency of
// github.com/ivscdk/ivscdk. Run it from this folder:
//
//	go test ./...
//
// It needs chromium and ffmpeg (Debian: apt-get install chromium ffmpeg),
// Node.js and npm (BuildScripts runs npm ci in a temporary folder);
// `go test -short` skips it. Screenshots go to
// IVSCDK_SCREENSHOTS when it names a folder; IVSCDK_BROWSER_CONSOLE=1
// prints the page's console.
//
// Each page is served with the headers its deploy sets (webpage.Headers
// with the example's props, local hosts in place of AWS's: the content
// security policy, the Permissions-Policy, Cross-Origin-Opener-Policy), and
// a violation of its policy or a script that fails its integrity check
// fails the test.
package browser

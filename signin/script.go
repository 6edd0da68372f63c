package signin

import _ "embed"

// ScriptFile is the name the sign-in script is deployed under, beside the
// page's files: load it with <script src="signin.js" defer></script>
// before the page's own script.
const ScriptFile = "signin.js"

//go:embed signin.js
var script []byte

// Script returns the page sign-in script (signin.js): window.IvscdkSignIn
// with signIn, signOut, arrive, idToken, forget, fetchToken and
// EndpointError, reading authDomain, clientId and tokenUrl from the
// page's config.
func Script() []byte { return append([]byte(nil), script...) }

// PageFiles returns the files a page that signs users in deploys beside
// its own: webpage.Props.Files.
func PageFiles() map[string][]byte { return map[string][]byte{ScriptFile: Script()} }

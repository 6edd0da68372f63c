package ivs

import (
	"sync"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
)

// WarningAuthorizedWithoutKeyPair is the ID of the synth-time warning for an
// authorized channel in a stack that defines or imports no playback key pair.
// Acknowledge it with check.Warn(channel).AcknowledgeWarning when
// the key pair lives in another stack or outside CloudFormation.
const WarningAuthorizedWithoutKeyPair = "ivscdk:ivs:authorizedChannelWithoutKeyPair"

// stackKeys tracks, per stack, the authorized channels and whether the stack
// has a playback key pair, so that one synth-time check per stack can warn
// about private channels nobody can sign tokens for.
type stackKeys struct {
	mu         sync.Mutex
	keyPairs   int
	authorized []*Channel
	warned     map[*Channel]bool
}

var keysByStack sync.Map // map[awscdk.Stack]*stackKeys

func stackKeysOf(path cdkname.Path) (*stackKeys, bool) {
	stack := path.Stack()
	if stack == nil {
		return nil, false
	}
	s, loaded := keysByStack.LoadOrStore(stack, &stackKeys{warned: map[*Channel]bool{}})
	return s.(*stackKeys), !loaded
}

// noteKeyPair records that the stack around path has a playback key pair.
func noteKeyPair(path cdkname.Path) {
	if s, _ := stackKeysOf(path); s != nil {
		s.mu.Lock()
		s.keyPairs++
		s.mu.Unlock()
	}
}

// watchAuthorizedChannel records an authorized channel; the first one in a
// stack adds the stack's check (one jsii round trip per stack, none for
// stacks without authorized channels).
func watchAuthorizedChannel(c *Channel) {
	s, created := stackKeysOf(c.path)
	if s == nil {
		return
	}
	s.mu.Lock()
	s.authorized = append(s.authorized, c)
	s.mu.Unlock()
	if created {
		c.path.Stack().Node().AddValidation(&authorizedWithoutKeyPair{keys: s})
	}
}

type authorizedWithoutKeyPair struct{ keys *stackKeys }

// Validate implements constructs.IValidation. It never fails synthesis: the
// key pair may be managed elsewhere, so it adds a warning instead.
func (v *authorizedWithoutKeyPair) Validate() *[]*string {
	s := v.keys
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keyPairs == 0 {
		for _, c := range s.authorized {
			if s.warned[c] {
				continue
			}
			s.warned[c] = true
			check.Warn(c, WarningAuthorizedWithoutKeyPair,
				"this channel is authorized (private), but this stack defines no playback key pair: viewers need tokens "+
					"signed with a key IVS knows. Add ivs.NewManagedPlaybackKeyPair (ivscdk generates, stores and rotates the key; "+
					"ivs.NewPlaybackTokenEndpoint signs with it), or ivs.NewPlaybackKeyPair with a public key of your own, or acknowledge this warning if the key pair "+
					"is managed elsewhere")
		}
	}
	return &[]*string{}
}

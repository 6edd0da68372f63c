package ivs

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
)

// MaxPlaybackKeyPairsPerRegion is how many playback key pairs IVS allows in
// one account and region (IVS user guide, "Create or Import an IVS Playback
// Key": "a maximum of three key pairs").
const MaxPlaybackKeyPairsPerRegion = 3

// keyPairSlot is one playback key pair's claim on the regional quota.
type keyPairSlot struct {
	path      string // construct path, for messages
	slots     int    // IVS key pairs it can hold at once
	publicKey string // literal PEM, "" when managed or a token
}

// quotaStack is what one stack contributes to its environment's count.
type quotaStack struct {
	stack awscdk.Stack
	slots []keyPairSlot
	root  constructs.IConstruct // looked up at synth
	env   string
}

var (
	quotaMu     sync.Mutex
	quotaStacks = map[awscdk.Stack]*quotaStack{}
)

// claimKeyPairSlots records that the construct at path in stack holds up
// to slots IVS playback key pairs. The first claim of a stack adds the
// stack's quota check (one jsii round trip per stack with key pairs).
func claimKeyPairSlots(stack awscdk.Stack, path string, slots int, publicKey string) {
	if stack == nil {
		return
	}
	if cdktoken.IsUnresolved(publicKey) {
		publicKey = ""
	}
	quotaMu.Lock()
	q, ok := quotaStacks[stack]
	if !ok {
		q = &quotaStack{stack: stack}
		quotaStacks[stack] = q
	}
	q.slots = append(q.slots, keyPairSlot{path: path, slots: slots, publicKey: strings.TrimSpace(publicKey)})
	quotaMu.Unlock()
	if !ok {
		stack.Node().AddValidation(&keyPairQuotaCheck{q: q})
	}
}

// keyPairQuotaCheck fails synthesis when the stacks of one app that deploy
// to the same account and region define more playback key pairs than IVS
// allows there, or define one public key twice. Stacks whose account or
// region is left to deploy time count as one environment: they land in the
// CLI's default account and region.
type keyPairQuotaCheck struct{ q *quotaStack }

// Validate implements constructs.IValidation.
func (c *keyPairQuotaCheck) Validate() *[]*string {
	quotaMu.Lock()
	defer quotaMu.Unlock()
	var group []*quotaStack
	for _, other := range quotaStacks {
		describe(other)
	}
	for _, other := range quotaStacks {
		if other.root == c.q.root && other.env == c.q.env {
			group = append(group, other)
		}
	}
	var all []keyPairSlot
	total := 0
	for _, q := range group {
		for _, s := range q.slots {
			all = append(all, s)
			total += s.slots
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].path < all[j].path })
	var out []*string
	if total > MaxPlaybackKeyPairsPerRegion {
		var parts []string
		for _, s := range all {
			parts = append(parts, fmt.Sprintf("%s (%d)", s.path, s.slots))
		}
		msg := fmt.Sprintf("this app defines up to %d IVS playback key pairs for %s: %s. IVS allows %d per account and region "+
			"(IVS user guide, \"Create or Import an IVS Playback Key\"), and a managed key pair with rotation holds 2 during a rotation. "+
			"Share one key pair between channels (it verifies tokens for every authorized channel of the region), or deploy to another region",
			total, c.q.env, strings.Join(parts, ", "), MaxPlaybackKeyPairsPerRegion)
		out = append(out, &msg)
	}
	seen := map[string]string{}
	for _, s := range all {
		if s.publicKey == "" {
			continue
		}
		if first, dup := seen[s.publicKey]; dup {
			msg := fmt.Sprintf("%s and %s import the same public key: a second copy verifies nothing more and uses one of the %d key pairs "+
				"IVS allows per region; define it once", first, s.path, MaxPlaybackKeyPairsPerRegion)
			out = append(out, &msg)
			continue
		}
		seen[s.publicKey] = s.path
	}
	return &out
}

// describe looks up the stack's app and environment once, at synth.
func describe(q *quotaStack) {
	if q.root != nil {
		return
	}
	q.root = q.stack.Node().Root()
	account, region := *q.stack.Account(), *q.stack.Region()
	if cdktoken.IsUnresolved(account) {
		account = "the deploying account"
	}
	if cdktoken.IsUnresolved(region) {
		region = "the deploying region"
	}
	q.env = fmt.Sprintf("account %s, region %s", account, region)
}

package cdkname

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
)

// Path is where a construct sits, in the terms the CDK's naming uses: the
// name of the nearest enclosing top-level stack (a stack whose name is not a
// token), followed by the construct IDs from that stack down.
type Path struct {
	components []string
	stack      awscdk.Stack
}

// Components returns the path components, the stack's name first.
func (p Path) Components() []string { return p.components }

// Stack returns the nearest enclosing stack with a literal name, or nil when
// the construct is not inside one.
func (p Path) Stack() awscdk.Stack { return p.stack }

// String returns the path as the CDK writes it, components joined by '/'.
func (p Path) String() string { return strings.Join(p.components, "/") }

// Child returns the path of a child construct with the given ID.
func (p Path) Child(id string) Path {
	c := make([]string, len(p.components), len(p.components)+1)
	copy(c, p.components)
	return Path{components: append(c, id), stack: p.stack}
}

// UniqueName returns UniqueResourceName for this path.
func (p Path) UniqueName(maxLength int, allowedSpecial string) string {
	return UniqueResourceName(p.components, maxLength, allowedSpecial)
}

// known caches paths by construct. Construct paths never change once a
// construct exists, so a cached entry is never stale. ivscdk records the
// paths of the constructs it creates, so children added under them cost no
// jsii round trip; any other scope is asked once.
var known sync.Map // map[constructs.Construct]Path

// Remember records the path of a construct that ivscdk just created.
func Remember(c constructs.Construct, p Path) {
	if comparable(c) {
		known.Store(c, p)
	}
}

// Of returns the path of scope, asking the jsii runtime only for scopes it
// has not seen before. A nil scope panics (CheckScope).
func Of(scope constructs.Construct) Path {
	CheckScope(scope)
	if comparable(scope) {
		if p, ok := known.Load(scope); ok {
			return p.(Path)
		}
	}
	p := lookUp(scope)
	Remember(scope, p)
	return p
}

func lookUp(scope constructs.Construct) Path {
	scopes := *scope.Node().Scopes()
	start := 0
	var stack awscdk.Stack
	var stackName string
	for i := len(scopes) - 1; i >= 0; i-- {
		if !*awscdk.Stack_IsStack(scopes[i]) {
			continue
		}
		s, ok := scopes[i].(awscdk.Stack)
		if !ok {
			s = awscdk.Stack_Of(scopes[i])
		}
		if name := s.StackName(); name != nil && !cdktoken.IsUnresolved(*name) {
			start, stack, stackName = i, s, *name
			break
		}
	}
	components := make([]string, 0, len(scopes)-start)
	if stack != nil {
		components = append(components, stackName)
		start++
	}
	for _, s := range scopes[start:] {
		components = append(components, *s.Node().Id())
	}
	return Path{components: components, stack: stack}
}

func comparable(v any) bool {
	return v != nil && reflect.TypeOf(v).Comparable()
}

// CheckScope panics with a sentence that names the ivscdk function called
// with a nil scope ("ivs.NewChannel: scope is nil: ..."), where the CDK
// would crash deeper down with a nil pointer dereference.
func CheckScope(scope constructs.Construct) {
	if scope != nil {
		v := reflect.ValueOf(scope)
		if v.Kind() != reflect.Pointer || !v.IsNil() {
			return
		}
	}
	panic(fmt.Sprintf("%s: scope is nil: pass the stack, or a construct inside it, that the new construct belongs to", publicCaller()))
}

// publicCaller returns the innermost function of a public ivscdk package
// on the call stack, such as "ivs.NewChannel".
func publicCaller() string {
	const module = "github.com/ivscdk/ivscdk/"
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, module) && !strings.HasPrefix(f.Function, module+"internal/") {
			return f.Function[strings.LastIndex(f.Function, "/")+1:]
		}
		if !more {
			return "an ivscdk constructor"
		}
	}
}

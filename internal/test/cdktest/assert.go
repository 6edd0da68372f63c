package cdktest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
)

// Template wraps the CDK's assertions.Template so that a mismatch is a
// t.Errorf with the CDK's explanation, not a panic: the CDK's methods panic
// with a JavaScript error on a mismatch, which ends the package's run and
// hides every later failure. The methods take what the CDK's take.
type Template struct {
	t        testing.TB
	template assertions.Template
}

// Assertions wraps template for t.
func Assertions(t testing.TB, template assertions.Template) *Template {
	return &Template{t: t, template: template}
}

// HasResourceProperties is assertions.Template.HasResourceProperties.
func (a *Template) HasResourceProperties(resourceType *string, props any) {
	a.t.Helper()
	a.check(fmt.Sprintf("HasResourceProperties(%s)", *resourceType), func() { a.template.HasResourceProperties(resourceType, props) })
}

// HasResource is assertions.Template.HasResource.
func (a *Template) HasResource(resourceType *string, props any) {
	a.t.Helper()
	a.check(fmt.Sprintf("HasResource(%s)", *resourceType), func() { a.template.HasResource(resourceType, props) })
}

// ResourceCountIs is assertions.Template.ResourceCountIs.
func (a *Template) ResourceCountIs(resourceType *string, count *float64) {
	a.t.Helper()
	a.check(fmt.Sprintf("ResourceCountIs(%s, %v)", *resourceType, *count), func() { a.template.ResourceCountIs(resourceType, count) })
}

// HasOutput is assertions.Template.HasOutput.
func (a *Template) HasOutput(logicalID *string, props any) {
	a.t.Helper()
	a.check(fmt.Sprintf("HasOutput(%s)", *logicalID), func() { a.template.HasOutput(logicalID, props) })
}

// FindResources is assertions.Template.FindResources (it does not fail).
func (a *Template) FindResources(resourceType *string, props any) *map[string]*map[string]any {
	return a.template.FindResources(resourceType, props)
}

// check runs one assertion and reports its panic, if any, as an error.
func (a *Template) check(what string, assertion func()) {
	a.t.Helper()
	defer func() {
		if r := recover(); r != nil {
			a.t.Errorf("%s: %s", what, explanation(r))
		}
	}()
	assertion()
}

// explanation is the CDK's message without the JavaScript stack.
func explanation(r any) string {
	msg := fmt.Sprint(r)
	var kept []string
	for _, line := range strings.Split(msg, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "at ") {
			continue
		}
		kept = append(kept, line)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

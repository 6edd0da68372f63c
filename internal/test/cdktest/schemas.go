package cdktest

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The CloudFormation registry schemas of every AWS::IVS::* and
// AWS::IVSChat::* type, copied from shared/reference/cfn-schemas.
//
//go:embed schemas/*.json
var schemaFiles embed.FS

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

func loadSchemas() (map[string]*jsonschema.Schema, error) {
	schemasOnce.Do(func() {
		entries, err := schemaFiles.ReadDir("schemas")
		if err != nil {
			schemasErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft7)
		byType := map[string]string{}
		for _, entry := range entries {
			b, err := schemaFiles.ReadFile("schemas/" + entry.Name())
			if err != nil {
				schemasErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				schemasErr = fmt.Errorf("%s: %w", entry.Name(), err)
				return
			}
			url := "file:///" + entry.Name()
			if err := c.AddResource(url, doc); err != nil {
				schemasErr = err
				return
			}
			typeName, _ := doc.(map[string]any)["typeName"].(string)
			byType[typeName] = url
		}
		schemas = map[string]*jsonschema.Schema{}
		for typeName, url := range byType {
			s, err := c.Compile(url)
			if err != nil {
				schemasErr = fmt.Errorf("%s: %w", typeName, err)
				return
			}
			schemas[typeName] = s
		}
	})
	return schemas, schemasErr
}

// CheckSchemas applies the registry schema of each IVS and IVS Chat resource
// in template to its Properties and returns every finding. Findings at or
// below an intrinsic function (Ref, Fn::GetAtt, ...) are skipped: their value
// is only known at deploy time.
func CheckSchemas(template map[string]any) []string {
	all, err := loadSchemas()
	if err != nil {
		return []string{"loading schemas: " + err.Error()}
	}
	resources, _ := template["Resources"].(map[string]any)
	var findings []string
	for _, logicalID := range sortedKeys(resources) {
		resource, _ := resources[logicalID].(map[string]any)
		typeName, _ := resource["Type"].(string)
		if !strings.HasPrefix(typeName, "AWS::IVS::") && !strings.HasPrefix(typeName, "AWS::IVSChat::") {
			continue
		}
		schema, ok := all[typeName]
		if !ok {
			findings = append(findings, fmt.Sprintf("%s: no registry schema for %s", logicalID, typeName))
			continue
		}
		properties, _ := resource["Properties"].(map[string]any)
		if properties == nil {
			properties = map[string]any{}
		}
		err := schema.Validate(properties)
		var verr *jsonschema.ValidationError
		if errors.As(err, &verr) {
			for _, leaf := range leaves(verr) {
				if underIntrinsic(properties, leaf.InstanceLocation) {
					continue
				}
				findings = append(findings, fmt.Sprintf("%s (%s) at /%s: %v", logicalID, typeName,
					strings.Join(leaf.InstanceLocation, "/"), leaf.ErrorKind))
			}
		} else if err != nil {
			findings = append(findings, fmt.Sprintf("%s: %v", logicalID, err))
		}
	}
	return findings
}

func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// underIntrinsic reports whether the value at path, or any value on the way
// to it, is an intrinsic function.
func underIntrinsic(doc any, path []string) bool {
	v := doc
	for i := 0; ; i++ {
		if isIntrinsic(v) {
			return true
		}
		if i == len(path) {
			return false
		}
		switch x := v.(type) {
		case map[string]any:
			v = x[path[i]]
		case []any:
			var n int
			if _, err := fmt.Sscan(path[i], &n); err != nil || n < 0 || n >= len(x) {
				return false
			}
			v = x[n]
		default:
			return false
		}
	}
}

func isIntrinsic(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

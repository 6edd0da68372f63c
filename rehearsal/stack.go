package rehearsal

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

// Stack is one synthesized stack: its template and the folder of its
// assets.
type Stack struct {
	// Name is the stack's name (its template is Name.template.json).
	Name string
	// Dir is the cdk.out folder.
	Dir       string
	Resources map[string]Resource
	// assets maps an asset's S3 object key to its folder.
	assets map[string]string
}

// Resource is a template resource.
type Resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
}

// LoadStack reads stack name from the cdk.out folder dir.
func LoadStack(dir, name string) (*Stack, error) {
	var template struct {
		Resources map[string]Resource `json:"Resources"`
	}
	if err := readJSON(filepath.Join(dir, name+".template.json"), &template); err != nil {
		return nil, err
	}
	var manifest struct {
		Files map[string]struct {
			Source struct {
				Path      string `json:"path"`
				Packaging string `json:"packaging"`
			} `json:"source"`
			Destinations map[string]struct {
				ObjectKey string `json:"objectKey"`
			} `json:"destinations"`
		} `json:"files"`
	}
	if err := readJSON(filepath.Join(dir, name+".assets.json"), &manifest); err != nil {
		return nil, err
	}
	s := &Stack{Name: name, Dir: dir, Resources: template.Resources, assets: map[string]string{}}
	for _, f := range manifest.Files {
		for _, d := range f.Destinations {
			s.assets[d.ObjectKey] = filepath.Join(dir, f.Source.Path)
		}
	}
	return s, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// OfType returns the logical IDs of the resources of a type, sorted.
func (s *Stack) OfType(typ string) []string {
	var ids []string
	for id, r := range s.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Find returns the one logical ID of a type that starts with prefix (the
// construct ID; CDK appends a hash), or an error naming what it found.
func (s *Stack) Find(typ, prefix string) (string, error) {
	var found []string
	for _, id := range s.OfType(typ) {
		if strings.HasPrefix(id, prefix) {
			found = append(found, id)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%s: want one %s whose logical ID starts with %q, found %v (all: %v)",
			s.Name, typ, prefix, found, s.OfType(typ))
	}
	return found[0], nil
}

// Values are what Ref and Fn::GetAtt of each resource give in the local
// deployment.
type Values struct {
	refs  map[string]string
	attrs map[string]map[string]string
}

// Deploy creates the stack's resources that the functions reach in the
// local services (secrets, stages, chat rooms) and returns the values of
// every resource. Resource types the functions do not call stand in by
// name; reading an attribute of one fails the resolution, so a template
// that starts depending on one is noticed.
func (s *Stack) Deploy(aws *awsfake.Server) *Values {
	v := &Values{refs: map[string]string{}, attrs: map[string]map[string]string{}}
	arn := func(service, resource string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, awsfake.Region, awsfake.Account, resource)
	}
	ids := make([]string, 0, len(s.Resources))
	for id := range s.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		switch s.Resources[id].Type {
		case "AWS::SecretsManager::Secret":
			a := aws.CreateSecret(id)
			v.set(id, a, map[string]string{"Id": a})
		case "AWS::IVS::Channel":
			a := arn("ivs", "channel/"+id)
			v.set(id, a, map[string]string{"Arn": a,
				"PlaybackUrl":    fmt.Sprintf("https://%s.%s.playback.live-video.net/api/video/v1/%s.%s.channel.%s.m3u8", "abcdef", awsfake.Region, awsfake.Region, awsfake.Account, id),
				"IngestEndpoint": "abcdef.global-contribute.live-video.net"})
		case "AWS::IVS::Stage":
			a := aws.AddStage(id)
			v.set(id, a, map[string]string{"Arn": a})
		case "AWS::IVS::EncoderConfiguration", "AWS::IVS::StorageConfiguration":
			// Their IDs are alphanumeric, like IVS's.
			kind := map[string]string{"AWS::IVS::EncoderConfiguration": "encoder-configuration", "AWS::IVS::StorageConfiguration": "storage-configuration"}[s.Resources[id].Type]
			a := arn("ivs", kind+"/"+id)
			v.set(id, a, map[string]string{"Arn": a})
		case "AWS::IVSChat::LoggingConfiguration":
			a := arn("ivschat", "logging-configuration/"+id)
			v.set(id, a, map[string]string{"Arn": a})
		case "AWS::IVSChat::Room":
			a := aws.AddRoom()
			v.set(id, a, map[string]string{"Arn": a})
		case "AWS::CloudFront::Distribution":
			// The example domain of the CloudFront docs; the token
			// functions' allowed origins and CORS name the page's.
			v.set(id, "E2QWRUHEXAMPLE", map[string]string{"DomainName": "d111111abcdef8.cloudfront.net", "Id": "E2QWRUHEXAMPLE"})
		case "AWS::S3::Bucket":
			// Bucket names are lower case.
			name := "local-" + strings.ToLower(id)
			v.set(id, name, map[string]string{"Arn": "arn:aws:s3:::" + name})
		case "AWS::SNS::Topic":
			a := aws.AddTopic(id)
			v.set(id, a, map[string]string{"TopicArn": a, "TopicName": id})
		case "AWS::Lambda::Function":
			a := arn("lambda", "function:"+id)
			v.set(id, id, map[string]string{"Arn": a})
		default:
			v.set(id, "local-"+id, nil)
		}
	}
	return v
}

func (v *Values) set(id, ref string, attrs map[string]string) {
	v.refs[id] = ref
	v.attrs[id] = attrs
}

var pseudo = map[string]string{
	"AWS::Region":    awsfake.Region,
	"AWS::AccountId": awsfake.Account,
	"AWS::Partition": "aws",
	"AWS::URLSuffix": "amazonaws.com",
}

// Resolve evaluates the intrinsic functions in a template value: Ref,
// Fn::GetAtt, Fn::Join and Fn::Sub. Any other is an error.
func (v *Values) Resolve(x any) (any, error) {
	switch x := x.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := v.Resolve(e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return v.intrinsic(k, arg)
				}
			}
		}
		out := map[string]any{}
		for k, e := range x {
			r, err := v.Resolve(e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	default:
		return x, nil
	}
}

// ResolveString resolves x and wants a string.
func (v *Values) ResolveString(x any) (string, error) {
	r, err := v.Resolve(x)
	if err != nil {
		return "", err
	}
	s, ok := r.(string)
	if !ok {
		return "", fmt.Errorf("%v resolves to %T, not a string", x, r)
	}
	return s, nil
}

var subVariable = regexp.MustCompile(`\$\{([^}!]+)\}`)

func (v *Values) intrinsic(name string, arg any) (any, error) {
	switch name {
	case "Ref":
		id, _ := arg.(string)
		if p, ok := pseudo[id]; ok {
			return p, nil
		}
		if r, ok := v.refs[id]; ok {
			return r, nil
		}
		return nil, fmt.Errorf("a Ref to unknown resource %q", id)
	case "Fn::GetAtt":
		parts, _ := arg.([]any)
		if len(parts) != 2 {
			return nil, fmt.Errorf("Fn::GetAtt %v: want [resource, attribute]", arg)
		}
		id, _ := parts[0].(string)
		attr, _ := parts[1].(string)
		if a, ok := v.attrs[id][attr]; ok {
			return a, nil
		}
		return nil, fmt.Errorf("Fn::GetAtt %s.%s: the rehearsal has no local value for it", id, attr)
	case "Fn::Join":
		parts, _ := arg.([]any)
		if len(parts) != 2 {
			return nil, fmt.Errorf("Fn::Join %v: want [separator, list]", arg)
		}
		sep, _ := parts[0].(string)
		list, err := v.Resolve(parts[1])
		if err != nil {
			return nil, err
		}
		items, _ := list.([]any)
		strs := make([]string, len(items))
		for i, it := range items {
			s, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("Fn::Join item %v is not a string", it)
			}
			strs[i] = s
		}
		return strings.Join(strs, sep), nil
	case "Fn::Sub":
		text, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("Fn::Sub with a variable map is not modelled: %v", arg)
		}
		var failed error
		out := subVariable.ReplaceAllStringFunc(text, func(m string) string {
			name := m[2 : len(m)-1]
			var r any
			var err error
			if id, attr, ok := strings.Cut(name, "."); ok {
				r, err = v.intrinsic("Fn::GetAtt", []any{id, attr})
			} else {
				r, err = v.intrinsic("Ref", name)
			}
			if err != nil {
				failed = err
				return m
			}
			return r.(string)
		})
		return out, failed
	}
	return nil, fmt.Errorf("intrinsic function %s is not modelled by the rehearsal", name)
}

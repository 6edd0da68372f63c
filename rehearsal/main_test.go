package rehearsal

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

// emulator is set by TestMain: the RIE built from the version this
// module pins, and qemu.
var emulator Emulator

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("rehearsal: skipped in -short mode")
		os.Exit(0)
	}
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "rehearsal")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	emulator.RIE = filepath.Join(tmp, "aws-lambda-rie")
	build := exec.Command("go", "build", "-o", emulator.RIE, "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the pinned Lambda Runtime Interface Emulator:", err)
		return 1
	}
	if emulator.QEMU, err = FindQEMU(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	synthRoot = filepath.Join(tmp, "synth")
	return m.Run()
}

var (
	synthRoot string
	synthMu   sync.Mutex
)

// cdkOut returns the cdk.out folder of an example: the one .ci/run left
// (IVSCDK_REHEARSAL_CDK_OUT/<example>) or a fresh synthesis with the
// example's own command, `go run .` in its folder.
func cdkOut(t *testing.T, example string) string {
	t.Helper()
	if dir := os.Getenv("IVSCDK_REHEARSAL_CDK_OUT"); dir != "" {
		return filepath.Join(dir, example)
	}
	return synthesize(t, example, "", nil)
}

// synthesize runs `go run .` in the example's folder with CDK context
// values, as `cdk synth -c key=value` passes them (CDK_CONTEXT_JSON), into
// a folder of the variant's name.
func synthesize(t *testing.T, example, variant string, context map[string]string) string {
	t.Helper()
	synthMu.Lock()
	defer synthMu.Unlock()
	out := filepath.Join(synthRoot, strings.ReplaceAll(example, "/", "-")+variant)
	if _, err := os.Stat(out); err == nil {
		return out
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = filepath.Join("..", "examples", example)
	if app, ok := strings.CutPrefix(example, "apps/"); ok { // one of the rehearsal's own apps, in the main module
		cmd.Dir = filepath.Join("..", "internal", "test", "apps", app)
	}
	cmd.Env = append(os.Environ(), "CDK_OUTDIR="+out)
	if context != nil {
		data, _ := json.Marshal(context)
		cmd.Env = append(cmd.Env, "CDK_CONTEXT_JSON="+string(data))
	}
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("synthesizing examples/%s: %v\n%s", example, err, output)
	}
	return out
}

// jwtContext is the CDK context that switches an example's token endpoint
// to JWT authentication.
var jwtContext = map[string]string{"jwtIssuer": "https://issuer.example.com", "jwtAudience": "rehearsal-client"}

// deployment is one example's stack brought up locally.
type deployment struct {
	t      *testing.T
	stack  *Stack
	aws    *awsfake.Server
	values *Values
	cfn    *CloudFormation
	// dynamoDB is the dynalite holding the stack's tables (withTables).
	dynamoDB string
}

func deploy(t *testing.T, example, stackName string) *deployment {
	t.Helper()
	return deployFrom(t, cdkOut(t, example), stackName)
}

// deployFrom brings up the stack of a cdk.out folder.
func deployFrom(t *testing.T, dir, stackName string) *deployment {
	t.Helper()
	stack, err := LoadStack(dir, stackName)
	if err != nil {
		t.Fatal(err)
	}
	d := &deployment{t: t, stack: stack, aws: awsfake.New(t), cfn: NewCloudFormation()}
	t.Cleanup(d.cfn.Close)
	d.values = stack.Deploy(d.aws)
	return d
}

// id returns the logical ID of the one resource of typ whose ID starts
// with prefix.
func (d *deployment) id(typ, prefix string) string {
	d.t.Helper()
	id, err := d.stack.Find(typ, prefix)
	if err != nil {
		d.t.Fatal(err)
	}
	return id
}

// spec reads the function whose logical ID starts with prefix.
func (d *deployment) spec(prefix string) *FunctionSpec {
	d.t.Helper()
	spec, err := d.stack.Function(d.id("AWS::Lambda::Function", prefix), d.values)
	if err != nil {
		d.t.Fatal(err)
	}
	return spec
}

// start runs spec under the RIE until the test ends; its output is logged
// when the test fails.
func (d *deployment) start(spec *FunctionSpec) *Running {
	d.t.Helper()
	fn, err := emulator.Start(spec, d.aws)
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() {
		fn.Stop()
		if d.t.Failed() {
			d.t.Logf("output of %s:\n%s", spec.LogicalID, fn.Log())
		}
	})
	return fn
}

// withTables points spec's DynamoDB client at a dynalite holding every
// table of the stack, each made as the template defines it (keys,
// attributes, billing mode) under its resolved name, and returns the
// dynalite's client. The first call starts it.
func (d *deployment) withTables(spec *FunctionSpec) *dynamodb.Client {
	d.t.Helper()
	if d.dynamoDB == "" {
		d.dynamoDB = localaws.DynamoDBEndpoint(d.t)
		db := localaws.DynamoDBClient(d.dynamoDB)
		for _, id := range d.stack.OfType("AWS::DynamoDB::Table") {
			table := d.properties(id)
			input := &dynamodb.CreateTableInput{TableName: aws.String(d.ref(map[string]any{"Ref": id})), BillingMode: dbtypes.BillingMode(table["BillingMode"].(string))}
			for _, k := range table["KeySchema"].([]any) {
				k := k.(map[string]any)
				input.KeySchema = append(input.KeySchema, dbtypes.KeySchemaElement{AttributeName: aws.String(k["AttributeName"].(string)), KeyType: dbtypes.KeyType(k["KeyType"].(string))})
			}
			for _, a := range table["AttributeDefinitions"].([]any) {
				a := a.(map[string]any)
				input.AttributeDefinitions = append(input.AttributeDefinitions, dbtypes.AttributeDefinition{AttributeName: aws.String(a["AttributeName"].(string)), AttributeType: dbtypes.ScalarAttributeType(a["AttributeType"].(string))})
			}
			localaws.CreateTable(d.t, db, input)
		}
	}
	spec.Env["AWS_ENDPOINT_URL_DYNAMODB"] = d.dynamoDB
	return localaws.DynamoDBClient(d.dynamoDB)
}

// ref resolves a template value.
func (d *deployment) ref(x any) string {
	d.t.Helper()
	s, err := d.values.ResolveString(x)
	if err != nil {
		d.t.Fatal(err)
	}
	return s
}

// properties resolves a resource's properties.
func (d *deployment) properties(id string) map[string]any {
	d.t.Helper()
	p, err := d.values.Resolve(d.stack.Resources[id].Properties)
	if err != nil {
		d.t.Fatalf("%s: %v", id, err)
	}
	return p.(map[string]any)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return c
}

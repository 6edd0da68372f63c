package rehearsal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

// Emulator is how functions are started: the RIE binary and, on machines
// that are not arm64, the user-mode emulator that runs arm64 binaries.
type Emulator struct {
	// RIE is the path of aws-lambda-rie.
	RIE string
	// QEMU is the path of qemu-aarch64-static ("" on arm64 machines).
	QEMU string
}

// FindQEMU returns the path of qemu-aarch64-static, "" on an arm64
// machine, or an error saying what to install.
func FindQEMU() (string, error) {
	if runtime.GOARCH == "arm64" {
		return "", nil
	}
	path, err := exec.LookPath("qemu-aarch64-static")
	if err != nil {
		return "", fmt.Errorf("the Lambda assets are arm64 and this machine is %s: install qemu-user-static (apt-get install qemu-user-static): %w", runtime.GOARCH, err)
	}
	return path, nil
}

// FunctionSpec is what the template says of one AWS::Lambda::Function.
type FunctionSpec struct {
	LogicalID string
	// Bootstrap is the asset's executable.
	Bootstrap string
	// Env is the function's environment, resolved.
	Env map[string]string
	// Timeout is the function's timeout in seconds (3 when unset, as on
	// Lambda).
	Timeout int
	// MemorySize in MB (128 when unset, as on Lambda).
	MemorySize int
}

// Function reads the template's function logicalID and checks it is what
// the rehearsal can run as Lambda would: provided.al2023 on arm64 with a
// bootstrap in its asset.
func (s *Stack) Function(logicalID string, values *Values) (*FunctionSpec, error) {
	r, ok := s.Resources[logicalID]
	if !ok || r.Type != "AWS::Lambda::Function" {
		return nil, fmt.Errorf("%s has no function %s", s.Name, logicalID)
	}
	p := r.Properties
	if rt := p["Runtime"]; rt != "provided.al2023" {
		return nil, fmt.Errorf("%s: runtime %v, the rehearsal runs provided.al2023", logicalID, rt)
	}
	if archs, _ := p["Architectures"].([]any); len(archs) != 1 || archs[0] != "arm64" {
		return nil, fmt.Errorf("%s: architectures %v, ivscdk builds arm64", logicalID, p["Architectures"])
	}
	if p["Handler"] != "bootstrap" {
		return nil, fmt.Errorf("%s: handler %v, want bootstrap", logicalID, p["Handler"])
	}
	code, _ := p["Code"].(map[string]any)
	key, _ := code["S3Key"].(string)
	dir, ok := s.assets[key]
	if !ok {
		return nil, fmt.Errorf("%s: no asset in %s.assets.json for S3Key %q", logicalID, s.Name, key)
	}
	spec := &FunctionSpec{LogicalID: logicalID, Bootstrap: filepath.Join(dir, "bootstrap"), Env: map[string]string{}, Timeout: 3, MemorySize: 128}
	if _, err := os.Stat(spec.Bootstrap); err != nil {
		return nil, fmt.Errorf("%s: the asset has no bootstrap: %w", logicalID, err)
	}
	if t, ok := p["Timeout"].(float64); ok {
		spec.Timeout = int(t)
	}
	if m, ok := p["MemorySize"].(float64); ok {
		spec.MemorySize = int(m)
	}
	if env, ok := p["Environment"].(map[string]any); ok {
		vars, _ := env["Variables"].(map[string]any)
		for k, x := range vars {
			v, err := values.ResolveString(x)
			if err != nil {
				return nil, fmt.Errorf("%s: environment variable %s: %w", logicalID, k, err)
			}
			spec.Env[k] = v
		}
	}
	return spec, nil
}

// Running is a function under the RIE.
type Running struct {
	Spec   *FunctionSpec
	invoke string
	cmd    *exec.Cmd
	log    *lockedBuffer
	done   chan struct{}
}

// Start runs spec under the RIE with the AWS SDK pointed at aws. The
// process's environment is only what Lambda would give: the template's
// variables, the region, credentials, the function's name, memory and
// timeout; and AWS_ENDPOINT_URL.
func (e Emulator) Start(spec *FunctionSpec, aws *awsfake.Server) (*Running, error) {
	addrs, err := freeAddresses(2)
	if err != nil {
		return nil, err
	}
	apiAddr, invokeAddr := addrs[0], addrs[1]
	args := []string{"--log-level", "error", "--runtime-api-address", apiAddr, "--runtime-interface-emulator-address", invokeAddr}
	if e.QEMU != "" {
		args = append(args, e.QEMU)
	}
	args = append(args, spec.Bootstrap)
	cmd := exec.Command(e.RIE, args...)
	cmd.Dir = filepath.Dir(spec.Bootstrap)
	env := []string{
		"PATH=/usr/bin:/bin",
		"AWS_REGION=" + awsfake.Region,
		"AWS_DEFAULT_REGION=" + awsfake.Region,
		"AWS_ACCESS_KEY_ID=AKIDREHEARSAL",
		"AWS_SECRET_ACCESS_KEY=rehearsal-secret",
		"AWS_SESSION_TOKEN=rehearsal-session",
		"AWS_LAMBDA_FUNCTION_NAME=" + spec.LogicalID,
		"AWS_LAMBDA_FUNCTION_TIMEOUT=" + strconv.Itoa(spec.Timeout),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(spec.MemorySize),
		"AWS_ENDPOINT_URL=" + aws.URL,
		// Keep the SDK from reading this machine's own AWS set-up.
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	for k, v := range spec.Env {
		env = append(env, k+"="+v)
	}
	cmd.Env = env
	r := &Running{Spec: spec, invoke: "http://" + invokeAddr + "/2015-03-31/functions/function/invocations",
		cmd: cmd, log: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = r.log, r.log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the RIE for %s: %w", spec.LogicalID, err)
	}
	go func() { cmd.Wait(); close(r.done) }()
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", invokeAddr)
		if err == nil {
			c.Close()
			return r, nil
		}
		select {
		case <-r.done:
			return nil, fmt.Errorf("the RIE for %s exited at start:\n%s", spec.LogicalID, r.log)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			r.Stop()
			return nil, fmt.Errorf("the RIE for %s did not listen on %s in 10 s:\n%s", spec.LogicalID, invokeAddr, r.log)
		}
	}
}

// Stop ends the function's process (the next Start is a cold start).
func (r *Running) Stop() {
	if r.cmd.Process != nil {
		r.cmd.Process.Kill()
	}
	<-r.done
}

// Log returns what the function and the RIE printed so far.
func (r *Running) Log() string { return r.log.String() }

// FunctionError is a function's error answer: the handler returned an
// error, or panicked.
type FunctionError struct {
	Type, Message string
}

func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

// Invoke sends event (marshalled to JSON unless it is json.RawMessage) and
// returns the function's answer, a *FunctionError when the function
// failed, or another error when the invocation did not complete.
func (r *Running) Invoke(ctx context.Context, event any) (json.RawMessage, error) {
	body, ok := event.(json.RawMessage)
	if !ok {
		var err error
		if body, err = json.Marshal(event); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.invoke, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoking %s: %w", r.Spec.LogicalID, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("invoking %s: RIE answered %s: %s", r.Spec.LogicalID, resp.Status, out)
	}
	if bytes.HasPrefix(out, []byte("Task timed out")) {
		return nil, &FunctionError{Type: "Timeout", Message: string(out)}
	}
	var fe struct {
		ErrorMessage *string `json:"errorMessage"`
		ErrorType    string  `json:"errorType"`
	}
	if json.Unmarshal(out, &fe) == nil && fe.ErrorMessage != nil {
		return nil, &FunctionError{Type: fe.ErrorType, Message: *fe.ErrorMessage}
	}
	return out, nil
}

// freeAddresses returns n distinct loopback addresses free a moment ago.
func freeAddresses(n int) ([]string, error) {
	var addrs []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, nil
}

// lockedBuffer collects a process's output for the test log.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Package localaws starts real implementations of AWS services for tests:
// dynalite (DynamoDB on LevelDB, in memory), from npm, pinned by
// npm/package-lock.json and installed once per lockfile into the user
// cache folder (ivscdk/local-aws/<hash>) with `npm ci --ignore-scripts`,
// which checks each package against the lockfile's sha512; and gofakes3
// (an in-memory S3), built once per version from s3server/, its own Go
// module, so that the library's go.mod names no test-only tool. Tests
// need Node.js and npm, as the CDK does.
//
// (s3rver, an S3 on the file system from npm, was tried first: its
// listing with a prefix or a delimiter finds no key more than one folder
// down, which is every IVS recording.)
//
// Test-only: nothing in a user's build imports it (CI checks it).
package localaws

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

//go:embed npm/package.json npm/package-lock.json
var npmFiles embed.FS

// Region is the region the clients sign for.
const Region = "us-west-2"

var (
	installOnce sync.Once
	installDir  string
	installErr  error
)

// install installs the pinned packages once per lockfile and returns the
// folder holding node_modules.
func install() (string, error) {
	installOnce.Do(func() {
		lock, _ := npmFiles.ReadFile("npm/package-lock.json")
		manifest, _ := npmFiles.ReadFile("npm/package.json")
		sum := sha256.Sum256(append(append([]byte{}, manifest...), lock...))
		cache, err := os.UserCacheDir()
		if err != nil {
			installErr = err
			return
		}
		dir := filepath.Join(cache, "ivscdk", "local-aws", hex.EncodeToString(sum[:8]))
		// npm writes node_modules/.package-lock.json last; a folder
		// without it is an install that did not finish.
		if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil {
			installDir = dir
			return
		}
		// Installed in a fresh folder and renamed into place, so that
		// packages testing at once never see half an install.
		tmp, err := os.MkdirTemp(filepath.Dir(dir), "install-")
		if err != nil {
			if err = os.MkdirAll(filepath.Dir(dir), 0o755); err == nil {
				tmp, err = os.MkdirTemp(filepath.Dir(dir), "install-")
			}
			if err != nil {
				installErr = err
				return
			}
		}
		os.WriteFile(filepath.Join(tmp, "package.json"), manifest, 0o644)
		os.WriteFile(filepath.Join(tmp, "package-lock.json"), lock, 0o644)
		cmd := exec.Command("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
		cmd.Dir = tmp
		if out, err := cmd.CombinedOutput(); err != nil {
			os.RemoveAll(tmp)
			installErr = fmt.Errorf("npm ci of the local AWS services: %v\n%s", err, out)
			return
		}
		if err := os.Rename(tmp, dir); err != nil {
			os.RemoveAll(tmp) // another package installed it first
			if _, statErr := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); statErr != nil {
				installErr = err
				return
			}
		}
		installDir = dir
	})
	return installDir, installErr
}

// start runs name with args (where "{port}" is a free port) until the
// test ends, and returns its http://127.0.0.1:<port>.
func start(t testing.TB, name string, args ...string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "{port}", port)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, name, args...)
	var output lockedBuffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	address := "127.0.0.1:" + port
	for deadline := time.Now().Add(20 * time.Second); ; {
		if c, err := net.DialTimeout("tcp", address, time.Second); err == nil {
			c.Close()
			return "http://" + address
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not listen on %s within 20 s:\n%s", name, address, output.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// config is an SDK configuration for Region with static test
// credentials (both services take any).
func config() aws.Config {
	return aws.Config{
		Region:      Region,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
	}
}

// DynamoDB starts a dynalite (in memory) for the test and returns a client
// of it.
func DynamoDB(t testing.TB) *dynamodb.Client {
	t.Helper()
	return DynamoDBClient(DynamoDBEndpoint(t))
}

// DynamoDBClient is a client of the DynamoDB at url.
func DynamoDBClient(url string) *dynamodb.Client {
	return dynamodb.NewFromConfig(config(), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(url) })
}

// DynamoDBEndpoint starts a dynalite (in memory) for the test and returns
// its URL, for a process of its own (AWS_ENDPOINT_URL_DYNAMODB).
func DynamoDBEndpoint(t testing.TB) string {
	t.Helper()
	// Tables are ACTIVE 50 ms after CreateTable (dynalite's default is
	// 500 ms; AWS takes seconds): CreateTable waits for it, as one must.
	dir, err := install()
	if err != nil {
		t.Fatal(err)
	}
	return start(t, "node", filepath.Join(dir, "node_modules", "dynalite", "cli.js"), "--port", "{port}", "--createTableMs", "50")
}

// CreateTable creates a table and waits until it is ACTIVE.
func CreateTable(t testing.TB, client *dynamodb.Client, input *dynamodb.CreateTableInput) {
	t.Helper()
	ctx := context.Background()
	if _, err := client.CreateTable(ctx, input); err != nil {
		t.Fatal(err)
	}
	waiter := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	})
	if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: input.TableName}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

var (
	buildOnce sync.Once
	s3Binary  string
	buildErr  error
)

// buildS3 builds s3server/ once per version of its files, into the user
// cache folder.
func buildS3() (string, error) {
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		src := filepath.Join(filepath.Dir(file), "s3server")
		h := sha256.New()
		for _, f := range []string{"go.mod", "go.sum", "main.go"} {
			data, err := os.ReadFile(filepath.Join(src, f))
			if err != nil {
				buildErr = err
				return
			}
			h.Write(data)
		}
		cache, err := os.UserCacheDir()
		if err != nil {
			buildErr = err
			return
		}
		s3Binary = filepath.Join(cache, "ivscdk", "local-aws", "s3server-"+hex.EncodeToString(h.Sum(nil)[:8]))
		if _, err := os.Stat(s3Binary); err == nil {
			return
		}
		os.MkdirAll(filepath.Dir(s3Binary), 0o755)
		tmp := s3Binary + fmt.Sprintf(".%d", os.Getpid())
		cmd := exec.Command("go", "build", "-o", tmp, ".")
		cmd.Dir = src
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the local S3 (%s): %v\n%s", src, err, out)
			return
		}
		buildErr = os.Rename(tmp, s3Binary)
	})
	return s3Binary, buildErr
}

// S3 starts an in-memory S3 for the test, creates the buckets, and returns
// a client of it (path-style addressing).
func S3(t testing.TB, buckets ...string) *s3.Client {
	t.Helper()
	return S3Client(t, S3Endpoint(t), buckets...)
}

// S3Endpoint starts an in-memory S3 for the test and returns its URL, for
// a process of its own (AWS_ENDPOINT_URL_S3: the SDK addresses an IP
// endpoint path-style).
func S3Endpoint(t testing.TB) string {
	t.Helper()
	binary, err := buildS3()
	if err != nil {
		t.Fatal(err)
	}
	return start(t, binary, "-address", "127.0.0.1:{port}")
}

// S3Client is a client of the S3 at url (path-style addressing) that
// creates the buckets.
func S3Client(t testing.TB, url string, buckets ...string) *s3.Client {
	t.Helper()
	client := s3.NewFromConfig(config(), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(url)
		o.UsePathStyle = true
	})
	for _, b := range buckets {
		if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Fatalf("creating bucket %s: %v", b, err)
		}
	}
	return client
}

// lockedBuffer collects a process's output from its two pipes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

package recordingindex

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// EnvConfig is the environment variable holding the function's Config as
// JSON.
const EnvConfig = wire.RecordingIndexEnvConfig

// Config is what the construct writes for the function.
type Config struct {
	// Bucket holds the recordings; Table is the index.
	Bucket string `json:"bucket"`
	Table  string `json:"table"`
	// Retention makes entries expire that long after their recording
	// started; 0 keeps them.
	Retention tokenapi.Duration `json:"retention,omitempty"`
	// Lookback is how far back the reconcile walks. Default 48 hours.
	Lookback tokenapi.Duration `json:"lookback,omitempty"`
	// Participants makes the reconcile walk the stages' participant
	// recordings too.
	Participants bool `json:"participants,omitempty"`
}

// ParseConfig reads and checks a Config.
func ParseConfig(data string) (*Config, error) {
	var c Config
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, fmt.Errorf("%s is not a recording index configuration: %w", EnvConfig, err)
	}
	switch {
	case c.Bucket == "" || c.Table == "":
		return nil, fmt.Errorf("%s: bucket and table are required", EnvConfig)
	case c.Retention < 0 || c.Lookback < 0:
		return nil, fmt.Errorf("%s: retention and lookback cannot be negative", EnvConfig)
	}
	return &c, nil
}

// New returns the indexer of c over the clients.
func New(c Config, s3Client S3, db DynamoDB) *Indexer {
	return &Indexer{S3: s3Client, Bucket: c.Bucket, Lookback: time.Duration(c.Lookback), Participants: c.Participants,
		Store: &Store{Client: db, Table: c.Table, Retention: time.Duration(c.Retention)}}
}

// FromEnvironment returns the Indexer the Lambda function runs: its Config
// from getenv(EnvConfig), its clients with the environment's AWS
// configuration (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Indexer, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Indexer, error) {
		return New(c, s3.NewFromConfig(cfg), dynamodb.NewFromConfig(cfg)), nil
	})
}

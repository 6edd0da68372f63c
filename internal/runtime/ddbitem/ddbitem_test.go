package ddbitem

import (
	"flag"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestKeyedTableIsKeyedByTwoStringsOnDemand(t *testing.T) {
	in := KeyedTable("t", "p", "s")
	if *in.TableName != "t" || in.BillingMode != types.BillingModePayPerRequest || len(in.KeySchema) != 2 ||
		*in.KeySchema[0].AttributeName != "p" || in.KeySchema[0].KeyType != types.KeyTypeHash ||
		*in.KeySchema[1].AttributeName != "s" || in.KeySchema[1].KeyType != types.KeyTypeRange ||
		in.AttributeDefinitions[0].AttributeType != types.ScalarAttributeTypeS || in.AttributeDefinitions[1].AttributeType != types.ScalarAttributeTypeS {
		t.Errorf("%+v", in)
	}
}

func TestValues(t *testing.T) {
	if v := String("x").(*types.AttributeValueMemberS); v.Value != "x" {
		t.Errorf("String: %q", v.Value)
	}
	if v := Number(-42).(*types.AttributeValueMemberN); v.Value != "-42" {
		t.Errorf("Number: %q", v.Value)
	}
}

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

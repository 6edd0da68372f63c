// Package ddbitem holds what the handlers' DynamoDB tables share: a table
// keyed by two strings, as tests and tools make it, and attribute values.
// It never imports the CDK.
package ddbitem

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// KeyedTable is an on-demand table named name whose partition and sort
// keys are the string attributes partition and sort.
func KeyedTable(name, partition, sort string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String(partition), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(sort), KeyType: types.KeyTypeRange}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(partition), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(sort), AttributeType: types.ScalarAttributeTypeS}},
		BillingMode: types.BillingModePayPerRequest,
	}
}

// String is a string attribute value.
func String(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

// Number is a number attribute value.
func Number(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

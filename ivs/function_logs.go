package ivs

import "github.com/ivscdk/ivscdk/internal/cdk/lambdafn"

// FunctionLogRetention is how long ivscdk's Lambda functions (the token
// endpoints' and the managed keys') keep their logs.
const FunctionLogRetention = lambdafn.LogRetention

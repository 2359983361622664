import { Testing } from "cdktf";
// Declares the matchers on jest's `expect` for the type checker.
import type {} from "cdktf/lib/testing/adapters/jest";

// cdktf's matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSourceWithProperties...
Testing.setupJest();

/* A static library imitating AFNetworking (an SDK on Apple's list of commonly used third-party
 * SDKs): it defines the SDK's class names, nothing else. Linked into the main executable
 * without AFNetworking's resource bundle, so no privacy manifest ships for it. */
#include "Declarations.h"

@interface AFURLSessionManager : NSObject
- (NSInteger)tasks;
@end
@implementation AFURLSessionManager
- (NSInteger)tasks { return 0; }
@end

@interface AFHTTPSessionManager : AFURLSessionManager
@end
@implementation AFHTTPSessionManager
@end

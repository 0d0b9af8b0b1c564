/* The app's own code: it uses both statically linked SDKs and no required-reason API. */
#include "Declarations.h"

@interface AFHTTPSessionManager : NSObject
- (NSInteger)tasks;
@end
@interface SDWebImageManager : NSObject
- (NSInteger)runningOperations;
@end

int main(void) {
    AFHTTPSessionManager *http = [[AFHTTPSessionManager alloc] init];
    SDWebImageManager *images = [[SDWebImageManager alloc] init];
    return (int)([http tasks] + [images runningOperations]);
}

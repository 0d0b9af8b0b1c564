/* A static library imitating SDWebImage (on Apple's list too): it defines the SDK's class
 * names. Linked into the main executable together with SDWebImage_Privacy.bundle, the resource
 * bundle that carries its privacy manifest, as CocoaPods installs a static SDK. */
#include "Declarations.h"

@interface SDWebImageManager : NSObject
- (NSInteger)runningOperations;
@end
@implementation SDWebImageManager
- (NSInteger)runningOperations { return 0; }
@end

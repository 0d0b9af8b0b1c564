/* AMapFoundationKit: reads the vendor identifier (IDFV) to identify the device to the service. */
#include "AMapServices.h"

static AMapServices *sharedInstance;

@implementation AMapServices
+ (AMapServices *)sharedServices {
    if (!sharedInstance) {
        sharedInstance = [[AMapServices alloc] init];
    }
    return sharedInstance;
}

- (void)setApiKey:(NSString *)apiKey {
    _apiKey = apiKey;
    [self deviceIdentifier];
}

- (NSString *)deviceIdentifier {
    return [[[UIDevice currentDevice] identifierForVendor] UUIDString];
}
@end

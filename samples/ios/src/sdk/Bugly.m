/* Imitates Tencent Bugly (crash reporting), the SDK the demo policy does not mention: reads the
 * vendor identifier and walks the network interfaces (IP/MAC addresses). */
#include "SDKs.h"

@implementation Bugly
+ (void)startWithAppId:(NSString *)appId {
    [[[UIDevice currentDevice] identifierForVendor] UUIDString];
    [self countNetworkInterfaces];
}

+ (int)countNetworkInterfaces {
    struct ifaddrs *list = 0;
    if (getifaddrs(&list) != 0) {
        return 0;
    }
    freeifaddrs(list);
    return 1;
}
@end

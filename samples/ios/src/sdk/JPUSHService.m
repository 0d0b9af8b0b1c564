/* Imitates JPush (极光推送): reads the advertising identifier (IDFA). */
#include "SDKs.h"

@implementation JPUSHService
+ (void)setupWithOption:(NSDictionary *)launchingOption
                 appKey:(NSString *)appKey
                channel:(NSString *)channel
       apsForProduction:(BOOL)isProduction {
    [self advertisingId];
}

+ (NSString *)advertisingId {
    return [[[ASIdentifierManager sharedManager] advertisingIdentifier] UUIDString];
}
@end

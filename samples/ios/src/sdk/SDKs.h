/* Classes named like the real SDKs they imitate (JPush, Umeng, AMap location, Bugly). They are
 * linked statically into the main binary, as vendors' static libraries are. */
#ifndef DISCLOSE_DEMO_SDKS_H
#define DISCLOSE_DEMO_SDKS_H
#include "../Declarations.h"

@interface JPUSHService : NSObject
+ (void)setupWithOption:(NSDictionary *)launchingOption
                 appKey:(NSString *)appKey
                channel:(NSString *)channel
       apsForProduction:(BOOL)isProduction;
+ (NSString *)advertisingId;
@end

@interface UMConfigure : NSObject
+ (void)initWithAppkey:(NSString *)appKey channel:(NSString *)channel;
+ (NSString *)deviceIdForVendor;
+ (CFDictionaryRef)currentWiFi;
@end

@interface AMapLocationManager : NSObject {
    CLLocationManager *_locationManager;
}
- (void)startUpdatingLocation;
@end

@interface Bugly : NSObject
+ (void)startWithAppId:(NSString *)appId;
+ (int)countNetworkInterfaces;
@end

#endif

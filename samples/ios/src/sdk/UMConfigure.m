/* Imitates Umeng (友盟+): reads the vendor identifier (IDFV) and the current Wi-Fi (SSID/BSSID). */
#include "SDKs.h"

@implementation UMConfigure
+ (void)initWithAppkey:(NSString *)appKey channel:(NSString *)channel {
    [self deviceIdForVendor];
    CFDictionaryRef wifi = [self currentWiFi];
    if (wifi) {
        CFRelease(wifi);
    }
}

+ (NSString *)deviceIdForVendor {
    return [[[UIDevice currentDevice] identifierForVendor] UUIDString];
}

+ (CFDictionaryRef)currentWiFi {
    CFArrayRef interfaces = CNCopySupportedInterfaces();
    CFDictionaryRef info = CNCopyCurrentNetworkInfo((CFStringRef)0);
    if (interfaces) {
        CFRelease(interfaces);
    }
    return info;
}
@end

/* First-party code of com.example.disclosedemo: the app delegate starts the SDKs, reads the
 * clipboard and the mobile carrier, and asks about tracking. */
#include "../Declarations.h"
#include "../sdk/SDKs.h"
#include "../AMapFoundationKit/AMapServices.h"

@interface DemoAppDelegate : UIResponder
- (BOOL)application:(id)application didFinishLaunchingWithOptions:(NSDictionary *)options;
@end

@interface DemoClipboardReader : NSObject
+ (NSString *)pastedText;
@end

@implementation DemoClipboardReader
+ (NSString *)pastedText {
    return [[UIPasteboard generalPasteboard] string];
}
@end

@interface DemoCarrierInfo : NSObject
+ (NSString *)carrierName;
@end

@implementation DemoCarrierInfo
+ (NSString *)carrierName {
    CTTelephonyNetworkInfo *info = [[CTTelephonyNetworkInfo alloc] init];
    NSString *name = [[info subscriberCellularProvider] carrierName];
    [info release];
    return name;
}
@end

@implementation DemoAppDelegate
- (BOOL)application:(id)application didFinishLaunchingWithOptions:(NSDictionary *)options {
    [[AMapServices sharedServices] setApiKey:nil];
    [JPUSHService setupWithOption:options appKey:nil channel:nil apsForProduction:NO];
    [UMConfigure initWithAppkey:nil channel:nil];
    [[[AMapLocationManager alloc] init] startUpdatingLocation];
    [Bugly startWithAppId:nil];
    if ([ATTrackingManager trackingAuthorizationStatus] == 3) {
        [DemoClipboardReader pastedText];
    }
    [DemoCarrierInfo carrierName];
    return YES;
}
@end

int main(int argc, char *argv[]) {
    return UIApplicationMain(argc, argv, nil, NSStringFromClass([DemoAppDelegate class]));
}

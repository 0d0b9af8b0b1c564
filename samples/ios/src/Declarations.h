/* Declarations of the system classes and functions the demo calls. There is no iOS SDK on the
 * build machine, so the demo declares what it uses itself; the linker resolves every name
 * against the .tbd stubs in ../stubs, and the names are the real ones of iOS. */
#ifndef DISCLOSE_DEMO_DECLARATIONS_H
#define DISCLOSE_DEMO_DECLARATIONS_H

typedef signed char BOOL;
typedef long NSInteger;
typedef unsigned long NSUInteger;
typedef double CLLocationDistance;
typedef const void *CFTypeRef;
typedef const struct __CFString *CFStringRef;
typedef const struct __CFArray *CFArrayRef;
typedef const struct __CFDictionary *CFDictionaryRef;
#define nil ((id)0)
#define YES ((BOOL)1)
#define NO ((BOOL)0)

/* libobjc */
__attribute__((objc_root_class))
@interface NSObject {
    Class isa;
}
+ (id)alloc;
+ (Class)class;
- (id)init;
- (id)retain;
- (void)release;
@end

/* Foundation */
@interface NSString : NSObject
- (const char *)UTF8String;
@end
@interface NSUUID : NSObject
- (NSString *)UUIDString;
@end
@interface NSDictionary : NSObject
@end
NSString *NSStringFromClass(Class aClass);

/* UIKit */
@interface UIResponder : NSObject
@end
@interface UIDevice : NSObject
+ (UIDevice *)currentDevice;
- (NSUUID *)identifierForVendor;
- (NSString *)name;
@end
@interface UIPasteboard : NSObject
+ (UIPasteboard *)generalPasteboard;
- (NSString *)string;
@end
int UIApplicationMain(int argc, char *argv[], NSString *principalClassName, NSString *delegateClassName);

/* AdSupport */
@interface ASIdentifierManager : NSObject
+ (ASIdentifierManager *)sharedManager;
- (NSUUID *)advertisingIdentifier;
- (BOOL)isAdvertisingTrackingEnabled;
@end

/* AppTrackingTransparency */
@interface ATTrackingManager : NSObject
+ (NSUInteger)trackingAuthorizationStatus;
@end

/* CoreLocation */
@interface CLLocationManager : NSObject
- (void)setDelegate:(id)delegate;
- (void)setDistanceFilter:(CLLocationDistance)distance;
- (void)requestWhenInUseAuthorization;
- (void)startUpdatingLocation;
@end

/* CoreTelephony */
@interface CTCarrier : NSObject
- (NSString *)carrierName;
- (NSString *)mobileCountryCode;
@end
@interface CTTelephonyNetworkInfo : NSObject
- (CTCarrier *)subscriberCellularProvider;
- (NSString *)currentRadioAccessTechnology;
@end

/* SystemConfiguration (CaptiveNetwork) */
CFArrayRef CNCopySupportedInterfaces(void);
CFDictionaryRef CNCopyCurrentNetworkInfo(CFStringRef interfaceName);

/* libSystem */
struct ifaddrs;
int getifaddrs(struct ifaddrs **list);
void freeifaddrs(struct ifaddrs *list);
void CFRelease(CFTypeRef cf);

#endif

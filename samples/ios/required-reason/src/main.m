/* First-party code of com.example.requiredreason: one class per required-reason API category.
 * Its PrivacyInfo.xcprivacy declares only file timestamps and user defaults, so system boot
 * time, disk space and active keyboards are the undeclared ones. */
#include "Declarations.h"

@interface RRFileInfo : NSObject
+ (long)sizeOf:(const char *)path;
+ (id)modifiedAt:(NSDictionary *)attributes;
@end

@implementation RRFileInfo
+ (long)sizeOf:(const char *)path {
    struct stat st;
    return stat(path, &st);
}
+ (id)modifiedAt:(NSDictionary *)attributes {
    return [attributes objectForKey:NSFileModificationDate];
}
@end

@interface RRUptime : NSObject
+ (double)uptime;
+ (unsigned long long)ticks;
@end

@implementation RRUptime
+ (double)uptime {
    return [[NSProcessInfo processInfo] systemUptime];
}
+ (unsigned long long)ticks {
    return mach_absolute_time();
}
@end

@interface RRDiskSpace : NSObject
+ (int)freeSpace:(const char *)path;
+ (id)availableCapacity:(NSDictionary *)values;
@end

@implementation RRDiskSpace
+ (int)freeSpace:(const char *)path {
    struct statfs fs;
    return statfs(path, &fs);
}
+ (id)availableCapacity:(NSDictionary *)values {
    return [values objectForKey:NSURLVolumeAvailableCapacityKey];
}
@end

@interface RRKeyboards : NSObject
+ (NSInteger)count;
@end

@implementation RRKeyboards
+ (NSInteger)count {
    return [[UITextInputMode activeInputModes] count];
}
@end

@interface RRSettings : NSObject
+ (id)lastUser;
@end

@implementation RRSettings
+ (id)lastUser {
    return [[NSUserDefaults standardUserDefaults] objectForKey:nil];
}
@end

@interface RRAppDelegate : UIResponder
@end

@implementation RRAppDelegate
@end

int main(int argc, char *argv[]) {
    return UIApplicationMain(argc, argv, nil, NSStringFromClass([RRAppDelegate class]));
}

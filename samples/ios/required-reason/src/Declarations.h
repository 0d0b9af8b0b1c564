/* Declarations of the system classes, functions and constants the required-reason sample uses.
 * There is no iOS SDK on the build machine: the names are the real ones of iOS, resolved
 * against the .tbd link stubs in ../stubs. */
#ifndef DISCLOSE_RR_DECLARATIONS_H
#define DISCLOSE_RR_DECLARATIONS_H

typedef signed char BOOL;
typedef long NSInteger;
typedef double NSTimeInterval;
#define nil ((id)0)
#define YES ((BOOL)1)

/* libSystem: only the fields the sample reads; the structs are opaque buffers. */
struct stat { char opaque[144]; };
struct statfs { char opaque[2168]; };
int stat(const char *path, struct stat *buf);
int fstat(int fd, struct stat *buf);
int statfs(const char *path, struct statfs *buf);
unsigned long long mach_absolute_time(void);

/* libobjc */
__attribute__((objc_root_class))
@interface NSObject {
    Class isa;
}
+ (id)alloc;
+ (Class)class;
- (id)init;
@end

/* Foundation */
@interface NSString : NSObject
@end
@interface NSArray : NSObject
- (NSInteger)count;
@end
@interface NSDictionary : NSObject
- (id)objectForKey:(id)key;
- (id)fileModificationDate;
@end
@interface NSProcessInfo : NSObject
+ (NSProcessInfo *)processInfo;
- (NSTimeInterval)systemUptime;
@end
@interface NSUserDefaults : NSObject
+ (NSUserDefaults *)standardUserDefaults;
- (id)objectForKey:(NSString *)key;
@end
extern NSString *const NSFileModificationDate;
extern NSString *const NSURLVolumeAvailableCapacityKey;
NSString *NSStringFromClass(Class aClass);

/* UIKit */
@interface UIResponder : NSObject
@end
@interface UITextInputMode : NSObject
+ (NSArray *)activeInputModes;
@end
int UIApplicationMain(int argc, char *argv[], NSString *principalClassName, NSString *delegateClassName);

#endif

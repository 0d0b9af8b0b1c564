/* An embedded framework with its own privacy manifest that declares what it uses (system boot
 * time, 35F9.1): nothing to report for it, whatever the app's manifest says. */
#include "Declarations.h"

@interface RRTimer : NSObject
+ (unsigned long long)now;
@end

@implementation RRTimer
+ (unsigned long long)now {
    return mach_absolute_time();
}
@end

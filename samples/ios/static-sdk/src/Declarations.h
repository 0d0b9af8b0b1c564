/* The few system declarations the static-SDK sample needs. There is no iOS SDK on the build
 * machine: the names are the real ones, resolved against ../required-reason/stubs. */
#ifndef DISCLOSE_STATIC_DECLARATIONS_H
#define DISCLOSE_STATIC_DECLARATIONS_H

typedef long NSInteger;

__attribute__((objc_root_class))
@interface NSObject {
    Class isa;
}
+ (id)alloc;
- (id)init;
@end

#endif

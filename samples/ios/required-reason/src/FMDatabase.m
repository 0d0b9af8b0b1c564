/* An embedded framework named FMDB, an SDK on Apple's list of commonly used third-party SDKs,
 * shipped without a privacy manifest. It reads file timestamps (fstat). */
#include "Declarations.h"

@interface FMDatabase : NSObject
- (long)lastChange:(int)fd;
@end

@implementation FMDatabase
- (long)lastChange:(int)fd {
    struct stat st;
    return fstat(fd, &st);
}
@end

/* The embedded dynamic framework AMapFoundationKit.framework (imitating AMap's foundation kit). */
#ifndef DISCLOSE_DEMO_AMAPSERVICES_H
#define DISCLOSE_DEMO_AMAPSERVICES_H
#include "../Declarations.h"

@interface AMapServices : NSObject {
    NSString *_apiKey;
}
+ (AMapServices *)sharedServices;
- (void)setApiKey:(NSString *)apiKey;
- (NSString *)deviceIdentifier;
@end

#endif

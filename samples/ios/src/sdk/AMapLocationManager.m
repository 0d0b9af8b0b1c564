/* Imitates AMap location (高德定位): drives CLLocationManager for continuous precise location. */
#include "SDKs.h"

@implementation AMapLocationManager
- (void)startUpdatingLocation {
    _locationManager = [[CLLocationManager alloc] init];
    [_locationManager setDistanceFilter:10.0];
    [_locationManager requestWhenInUseAuthorization];
    [_locationManager startUpdatingLocation];
}
@end

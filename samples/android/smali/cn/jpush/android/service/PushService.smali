.class public Lcn/jpush/android/service/PushService;
.super Landroid/app/Service;
.source "PushService.java"

# JPush's push service component (declared in the manifest).

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Service;-><init>()V
    return-void
.end method

.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3
    const/4 v0, 0x0
    return-object v0
.end method

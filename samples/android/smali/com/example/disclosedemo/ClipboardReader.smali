.class public final Lcom/example/disclosedemo/ClipboardReader;
.super Ljava/lang/Object;
.source "ClipboardReader.java"

# First-party: reads whatever is on the clipboard.

.method public static read(Landroid/content/Context;)Landroid/content/ClipData;
    .registers 2
    const-string v0, "clipboard"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/content/ClipboardManager;
    invoke-virtual {v0}, Landroid/content/ClipboardManager;->getPrimaryClip()Landroid/content/ClipData;
    move-result-object v0
    return-object v0
.end method

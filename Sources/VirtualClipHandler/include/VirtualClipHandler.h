#ifndef VIRTUAL_CLIP_HANDLER_H
#define VIRTUAL_CLIP_HANDLER_H
/*
 * The virtual clip: a umockdev testbed holding fake Backstride clips whose bulk endpoints are
 * served live, URB by URB, by callbacks the Swift side registers.
 *
 * A host process (gait, gaitd, a test helper) started with LD_PRELOAD=libumockdev-preload.so.0
 * and UMOCKDEV_DIR=vch_testbed_root_dir() sees the clips through the real libusb. The process
 * that owns the testbed must not run under the preload.
 *
 * Threading: umockdev calls the handler from the worker thread the testbed starts (its own GLib
 * main context; nothing to run here). Every callback of one clip is made from that one thread:
 * the handler retries pending IN transfers there, on a 10 ms timer and whenever OUT data arrives
 * or the host reaps.
 * vch_clip_plug() and vch_clip_unplug() may be called from any thread.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What the device does with one bulk transfer (mirrors ClipProtocol.EndpointOutcome). */
typedef enum {
    /** OUT: *count bytes accepted. IN: *count bytes written into the buffer. */
    VCH_OUTCOME_COMPLETED = 0,
    /** IN only: nothing to send yet; the handler asks again when OUT data arrives or on a timer. */
    VCH_OUTCOME_PENDING = 1,
    /** The endpoint halts: the URB completes with -EPIPE until the host clears the halt. */
    VCH_OUTCOME_STALL = 2,
    /** The clip is unplugged now: pending URBs complete with -ENODEV, the device leaves the testbed. */
    VCH_OUTCOME_DISCONNECT = 3,
    /** The URB is kept until the host discards it (the host's timeout expires). */
    VCH_OUTCOME_NEVER_COMPLETE = 4,
} vch_outcome;

/** The device side of one clip. `context` is passed back unchanged to every function. */
typedef struct {
    void *context;
    /** The host wrote `length` bytes to bulk OUT 0x01. Set *accepted (<= length) on COMPLETED. */
    vch_outcome (*bulk_out)(void *context, const uint8_t *data, size_t length, size_t *accepted);
    /** The host reads at most `capacity` bytes from bulk IN 0x81. Fill `buffer`, set *filled. */
    vch_outcome (*bulk_in)(void *context, uint8_t *buffer, size_t capacity, size_t *filled);
    /** The host cleared a halt on `endpoint` (0x01 or 0x81). May be NULL. */
    void (*clear_halt)(void *context, uint8_t endpoint);
    /** The host reset the device. May be NULL. */
    void (*reset)(void *context);
} vch_endpoint_callbacks;

/** How a clip looks on the bus. Strings are copied. */
typedef struct {
    uint16_t vendor_id;          /* 0x1209 */
    uint16_t product_id;         /* 0x4A17 */
    uint16_t bcd_device;         /* firmware version, BCD: 0x0102 is 1.02 */
    uint8_t bus_number;          /* 1...255 */
    uint8_t device_address;      /* 1...127 */
    const char *serial_number;   /* string descriptor 3 */
    const char *product;         /* string descriptor 2; NULL for "Backstride clip" */
    const char *manufacturer;    /* string descriptor 1; NULL for "Backstride" */
} vch_clip_description;

typedef struct vch_testbed vch_testbed;
typedef struct vch_clip vch_clip;

/** Creates a testbed (a temporary sysfs and /dev; umockdev starts its worker thread). */
vch_testbed *vch_testbed_new(void);
/** The directory to export as UMOCKDEV_DIR to host processes. Owned by the testbed. */
const char *vch_testbed_root_dir(const vch_testbed *testbed);
/** Whether plugging and unplugging send udev "add"/"remove" events to the host's udev monitors
 *  (libusb's hotplug thread among them): 1 (the default) or 0, to test polling without them. */
void vch_testbed_set_hotplug_events(vch_testbed *testbed, int enabled);
/** Unplugs every clip and deletes the testbed directory. */
void vch_testbed_free(vch_testbed *testbed);

/** Creates a clip on the testbed, not yet plugged in. NULL if the description is invalid. */
vch_clip *vch_clip_new(vch_testbed *testbed, const vch_clip_description *description,
                       vch_endpoint_callbacks callbacks);
/** Plugs the clip in (adds the device, attaches the handler, sends an "add" uevent).
 *  Returns 0, or -1 with a message in *error (free with free()) when error is not NULL. */
int vch_clip_plug(vch_clip *clip, char **error);
/** Unplugs the clip: pending URBs complete with -ENODEV, later ioctls fail with ENODEV, the
 *  device leaves sysfs and /dev, and a "remove" uevent is sent. No effect when not plugged. */
void vch_clip_unplug(vch_clip *clip);
/** Whether the clip is plugged in now (it unplugs itself on VCH_OUTCOME_DISCONNECT). */
int vch_clip_is_plugged(const vch_clip *clip);
/** The clip's device node, e.g. "/dev/bus/usb/001/005". Owned by the clip. */
const char *vch_clip_device_node(const vch_clip *clip);
/** The umockdev description (P:/N:/E:/A:/H: lines) of the clip; free with free(). */
char *vch_clip_umockdev_description(const vch_clip *clip);
/** Removes the clip from the testbed (unplugging it first) and frees it. */
void vch_clip_free(vch_clip *clip);

/** Logs every ioctl (1) or only unknown ones (0, the default) to stderr. Also set by the
 *  environment variable VIRTUAL_CLIP_DEBUG=1. */
void vch_set_verbose(int verbose);

#ifdef __cplusplus
}
#endif
#endif

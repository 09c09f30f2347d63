/*
 * The virtual clip's usbdevfs ioctl handler: a GObject subclass of UMockdevIoctlBase that serves
 * the URBs the real libusb submits to a fake /dev/bus/usb node, forwarding bulk data to the
 * callbacks in vch_endpoint_callbacks. See VirtualClipHandler.h and
 * shared/usb-emulation/README.md for the usbdevfs semantics it follows.
 */
#define _GNU_SOURCE
#include "VirtualClipHandler.h"

#include <umockdev.h>
#include <sys/ioctl.h>
#include <linux/types.h>
#include <linux/usbdevice_fs.h>
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define VCH_BULK_OUT 0x01
#define VCH_BULK_IN 0x81
#define VCH_MAX_PACKET 64
#define VCH_RETRY_INTERVAL_MS 10

/* One URB the host submitted and has not reaped yet. */
typedef struct {
    UMockdevIoctlData *urb;       /* our reference to the client's struct usbdevfs_urb */
    UMockdevIoctlData *buffer;    /* its data buffer, resolved once at submission (or NULL) */
    int buffer_length;
    unsigned long client_address; /* its address in the host process (DISCARDURB names it) */
    uint8_t endpoint;
} vch_urb;

/* All clip state is guarded by this one lock: the handler thread, the retry timer and the
 * Swift side's plug/unplug calls all take it. Contention is negligible at USB speeds. */
static GMutex vch_lock;
static int vch_verbose = -1;

struct vch_testbed {
    UMockdevTestbed *testbed;
    char *root_dir;
    GPtrArray *clips;
    int hotplug_events; /* send udev monitor messages on plug and unplug */
};

typedef struct _VchIoctlHandler VchIoctlHandler;

struct vch_clip {
    vch_testbed *testbed;
    vch_clip_description description; /* strings owned */
    vch_endpoint_callbacks callbacks;
    char *syspath;
    char *devnode;
    char *description_text;
    VchIoctlHandler *handler;         /* non-NULL while plugged */
    int plugged;
    GQueue completed;                 /* vch_urb*, ready to be reaped, oldest first */
    GQueue waiting;                   /* IN URBs answered PENDING: retried */
    GQueue parked;                    /* URBs answered NEVER_COMPLETE: kept until discarded */
    int halted[2];                    /* [0] OUT 0x01, [1] IN 0x81 */
    guint retry_source;               /* timer on the handler's main context, 0 if none */
    GMainContext *handler_context;
};

/* ---------------------------------------------------------------- the GObject handler */

struct _VchIoctlHandler {
    UMockdevIoctlBase parent_instance;
    vch_clip *clip; /* NULL once the clip is unplugged or freed: answer ENODEV */
};

typedef struct {
    UMockdevIoctlBaseClass parent_class;
} VchIoctlHandlerClass;

GType vch_ioctl_handler_get_type(void);
G_DEFINE_TYPE(VchIoctlHandler, vch_ioctl_handler, UMOCKDEV_TYPE_IOCTL_BASE)

static int verbose(void) {
    if (vch_verbose < 0) {
        const char *env = getenv("VIRTUAL_CLIP_DEBUG");
        vch_verbose = env != NULL && env[0] == '1';
    }
    return vch_verbose;
}

void vch_set_verbose(int value) { vch_verbose = value ? 1 : 0; }

static void urb_set_result(UMockdevIoctlData *urb, int status, int actual_length) {
    umockdev_ioctl_data_update(urb, offsetof(struct usbdevfs_urb, status), (guint8 *)&status,
                               sizeof status);
    umockdev_ioctl_data_update(urb, offsetof(struct usbdevfs_urb, actual_length),
                               (guint8 *)&actual_length, sizeof actual_length);
}

static void urb_free(vch_urb *entry) {
    if (entry->buffer != NULL) umockdev_ioctl_data_unref(entry->buffer);
    if (entry->urb != NULL) umockdev_ioctl_data_unref(entry->urb);
    g_free(entry);
}

static void complete_urb(vch_clip *clip, vch_urb *entry, int status, int actual_length) {
    urb_set_result(entry->urb, status, actual_length);
    g_queue_push_tail(&clip->completed, entry);
}

static int halt_index(uint8_t endpoint) { return (endpoint & 0x80) ? 1 : 0; }

/* Completes every URB still in flight with -ENODEV, as the kernel does on unplug. */
static void fail_all_in_flight(vch_clip *clip) {
    vch_urb *entry;
    while ((entry = g_queue_pop_head(&clip->waiting)) != NULL) complete_urb(clip, entry, -ENODEV, 0);
    while ((entry = g_queue_pop_head(&clip->parked)) != NULL) complete_urb(clip, entry, -ENODEV, 0);
}

static void unplug_locked(vch_clip *clip);

/* Asks the device for IN data for one URB. Returns 1 if the URB left the waiting state. Called
 * with the lock held, on the handler thread. */
static int serve_in(vch_clip *clip, vch_urb *entry) {
    UMockdevIoctlData *buffer = entry->buffer;
    int capacity = buffer != NULL ? entry->buffer_length : 0;
    if (clip->halted[1]) {
        complete_urb(clip, entry, -EPIPE, 0);
        return 1;
    }
    uint8_t *scratch = g_malloc0(capacity > 0 ? capacity : 1);
    size_t filled = 0;
    vch_outcome outcome = clip->callbacks.bulk_in(clip->callbacks.context, scratch, (size_t)capacity, &filled);
    int result = 1;
    switch (outcome) {
    case VCH_OUTCOME_COMPLETED:
        if (filled > (size_t)capacity) filled = (size_t)capacity;
        if (filled > 0 && buffer != NULL) umockdev_ioctl_data_update(buffer, 0, scratch, (gint)filled);
        complete_urb(clip, entry, 0, (int)filled);
        break;
    case VCH_OUTCOME_PENDING:
        result = 0;
        break;
    case VCH_OUTCOME_STALL:
        clip->halted[1] = 1;
        complete_urb(clip, entry, -EPIPE, 0);
        break;
    case VCH_OUTCOME_NEVER_COMPLETE:
        g_queue_push_tail(&clip->parked, entry);
        break;
    case VCH_OUTCOME_DISCONNECT:
        g_queue_push_tail(&clip->parked, entry);
        unplug_locked(clip);
        break;
    }
    g_free(scratch);
    return result;
}

/* The buffer child of a URB, resolved once: its pointer field then holds our local copy. */
static UMockdevIoctlData *urb_buffer(UMockdevIoctlData *urb, int length) {
    if (length <= 0) return NULL;
    GError *error = NULL;
    UMockdevIoctlData *buffer = umockdev_ioctl_data_resolve(urb, offsetof(struct usbdevfs_urb, buffer),
                                                            (gsize)length, &error);
    if (error != NULL) {
        fprintf(stderr, "virtual-clip: cannot read the URB buffer: %s\n", error->message);
        g_error_free(error);
        return NULL;
    }
    return buffer;
}

/* Retries the IN URBs waiting for data, oldest first, stopping at the first still pending. */
static void retry_waiting(vch_clip *clip) {
    while (clip->plugged && !g_queue_is_empty(&clip->waiting)) {
        vch_urb *entry = g_queue_pop_head(&clip->waiting);
        if (!serve_in(clip, entry)) {
            g_queue_push_head(&clip->waiting, entry);
            break;
        }
    }
}

static gboolean retry_timer(gpointer data) {
    vch_clip *clip = data;
    g_mutex_lock(&vch_lock);
    retry_waiting(clip);
    g_mutex_unlock(&vch_lock);
    return G_SOURCE_CONTINUE;
}

/* A string descriptor in `out` (at most 255 bytes); returns its length or 0 if unknown. */
static int string_descriptor(vch_clip *clip, int index, uint8_t *out) {
    if (index == 0) {
        out[0] = 4; out[1] = 3; out[2] = 0x09; out[3] = 0x04; /* English (US) */
        return 4;
    }
    const char *text = NULL;
    if (index == 1) text = clip->description.manufacturer;
    if (index == 2) text = clip->description.product;
    if (index == 3) text = clip->description.serial_number;
    if (text == NULL) return 0;
    size_t n = strlen(text);
    if (n > 126) n = 126;
    out[0] = (uint8_t)(2 + 2 * n);
    out[1] = 3;
    for (size_t i = 0; i < n; i++) { out[2 + 2 * i] = (uint8_t)text[i]; out[3 + 2 * i] = 0; }
    return out[0];
}

static int device_descriptor(const vch_clip_description *d, uint8_t *out) {
    const uint8_t bytes[18] = {
        18, 1, 0x00, 0x02, 0xff, 0, 0, VCH_MAX_PACKET,
        d->vendor_id & 0xff, d->vendor_id >> 8, d->product_id & 0xff, d->product_id >> 8,
        d->bcd_device & 0xff, d->bcd_device >> 8, 1, 2, 3, 1,
    };
    memcpy(out, bytes, sizeof bytes);
    return sizeof bytes;
}

static int configuration_descriptor(uint8_t *out) {
    const uint8_t bytes[32] = {
        9, 2, 32, 0, 1, 1, 0, 0x80, 50,                 /* configuration 1, bus powered, 100 mA */
        9, 4, 0, 0, 2, 0xff, 0, 0, 0,                   /* interface 0, vendor class, 2 endpoints */
        7, 5, VCH_BULK_IN, 2, VCH_MAX_PACKET, 0, 0,     /* bulk IN 0x81 */
        7, 5, VCH_BULK_OUT, 2, VCH_MAX_PACKET, 0, 0,    /* bulk OUT 0x01 */
    };
    memcpy(out, bytes, sizeof bytes);
    return sizeof bytes;
}

/* Answers a standard control request; returns the data length, or -1 to stall. `data` holds
 * at least 255 bytes. */
static int control_request(vch_clip *clip, const uint8_t setup[8], uint8_t *data) {
    uint8_t request_type = setup[0], request = setup[1];
    uint16_t value = setup[2] | (setup[3] << 8);
    uint16_t length = setup[6] | (setup[7] << 8);
    int n = -1;
    if (request_type == 0x80 && request == 6) { /* GET_DESCRIPTOR */
        uint8_t scratch[256];
        switch (value >> 8) {
        case 1: n = device_descriptor(&clip->description, scratch); break;
        case 2: n = configuration_descriptor(scratch); break;
        case 3: n = string_descriptor(clip, value & 0xff, scratch); if (n == 0) n = -1; break;
        }
        if (n > 0) { if (n > length) n = length; memcpy(data, scratch, (size_t)n); }
    } else if (request_type == 0x80 && request == 8) { /* GET_CONFIGURATION */
        data[0] = 1; n = length < 1 ? 0 : 1;
    } else if (request_type == 0x80 && request == 0) { /* GET_STATUS */
        data[0] = 0; data[1] = 0; n = length < 2 ? length : 2;
    } else if ((request_type & 0x80) == 0) { /* SET_CONFIGURATION, SET_INTERFACE, ...: accept */
        n = 0;
    }
    return n;
}

static void submit_urb(vch_clip *clip, UMockdevIoctlClient *client, UMockdevIoctlData *arg) {
    GError *error = NULL;
    UMockdevIoctlData *urb = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &error);
    if (urb == NULL) {
        if (error) g_error_free(error);
        umockdev_ioctl_client_complete(client, -1, EFAULT);
        return;
    }
    struct usbdevfs_urb *raw = (struct usbdevfs_urb *)urb->data;
    int length = raw->buffer_length;
    vch_urb *entry = g_new0(vch_urb, 1);
    entry->urb = urb;
    entry->client_address = urb->client_addr;
    entry->endpoint = raw->endpoint;
    entry->buffer_length = length;
    if (raw->type == USBDEVFS_URB_TYPE_CONTROL || raw->type == USBDEVFS_URB_TYPE_BULK)
        entry->buffer = urb_buffer(urb, length);
    if (verbose())
        fprintf(stderr, "virtual-clip: %s SUBMITURB type %d endpoint 0x%02x length %d\n", clip->devnode,
                raw->type, raw->endpoint, length);

    if (raw->type == USBDEVFS_URB_TYPE_CONTROL) {
        UMockdevIoctlData *buffer = entry->buffer;
        if (buffer == NULL || length < 8) {
            complete_urb(clip, entry, -EPIPE, 0);
        } else {
            uint8_t data[512] = {0};
            int n = control_request(clip, buffer->data, data);
            if (n < 0) {
                complete_urb(clip, entry, -EPIPE, 0);
            } else {
                if (n > length - 8) n = length - 8;
                if (n > 0) umockdev_ioctl_data_update(buffer, 8, data, n);
                complete_urb(clip, entry, 0, n);
            }
        }
    } else if (raw->type != USBDEVFS_URB_TYPE_BULK ||
               (raw->endpoint != VCH_BULK_IN && raw->endpoint != VCH_BULK_OUT)) {
        urb_free(entry);
        umockdev_ioctl_client_complete(client, -1, ENOENT);
        return;
    } else if (raw->endpoint == VCH_BULK_IN) {
        /* Keep order: a new IN URB waits behind older ones. */
        if (!g_queue_is_empty(&clip->waiting) && !clip->halted[1]) {
            g_queue_push_tail(&clip->waiting, entry);
        } else if (!serve_in(clip, entry)) {
            g_queue_push_tail(&clip->waiting, entry);
        }
    } else {
        if (clip->halted[0]) {
            complete_urb(clip, entry, -EPIPE, 0);
        } else {
            UMockdevIoctlData *buffer = entry->buffer;
            size_t accepted = 0;
            vch_outcome outcome = clip->callbacks.bulk_out(
                clip->callbacks.context, buffer ? buffer->data : (const uint8_t *)"", (size_t)(buffer ? length : 0),
                &accepted);
            switch (outcome) {
            case VCH_OUTCOME_COMPLETED:
            case VCH_OUTCOME_PENDING: /* not meaningful for OUT: treat as accepted */
                if (outcome == VCH_OUTCOME_PENDING || accepted > (size_t)length) accepted = (size_t)length;
                complete_urb(clip, entry, 0, (int)accepted);
                break;
            case VCH_OUTCOME_STALL:
                clip->halted[0] = 1;
                complete_urb(clip, entry, -EPIPE, 0);
                break;
            case VCH_OUTCOME_NEVER_COMPLETE:
                g_queue_push_tail(&clip->parked, entry);
                break;
            case VCH_OUTCOME_DISCONNECT:
                g_queue_push_tail(&clip->parked, entry);
                unplug_locked(clip);
                break;
            }
            /* New OUT data may be the answer a waiting IN URB needs. */
            retry_waiting(clip);
        }
    }
    umockdev_ioctl_client_complete(client, 0, 0);
}

static void reap_urb(vch_clip *clip, UMockdevIoctlClient *client, UMockdevIoctlData *arg) {
    retry_waiting(clip);
    vch_urb *entry = g_queue_pop_head(&clip->completed);
    if (entry == NULL) {
        umockdev_ioctl_client_complete(client, -1, clip->plugged ? EAGAIN : ENODEV);
        return;
    }
    /* The argument points at the client's `void *` that receives the URB: hand the client its
     * own URB back. Flushing writes status, length and (IN) the data. */
    GError *error = NULL;
    UMockdevIoctlData *slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), &error);
    if (slot == NULL) {
        if (error) g_error_free(error);
        g_queue_push_head(&clip->completed, entry);
        umockdev_ioctl_client_complete(client, -1, EFAULT);
        return;
    }
    umockdev_ioctl_data_set_ptr(slot, 0, entry->urb);
    umockdev_ioctl_data_unref(slot);
    if (verbose()) {
        struct usbdevfs_urb *raw = (struct usbdevfs_urb *)entry->urb->data;
        fprintf(stderr, "virtual-clip: %s REAPURB endpoint 0x%02x status %d actual %d\n", clip->devnode,
                raw->endpoint, raw->status, raw->actual_length);
    }
    urb_free(entry);
    umockdev_ioctl_client_complete(client, 0, 0);
}

static int discard_from(vch_clip *clip, GQueue *queue, unsigned long address) {
    for (GList *link = queue->head; link != NULL; link = link->next) {
        vch_urb *entry = link->data;
        if (entry->client_address == address) {
            g_queue_delete_link(queue, link);
            complete_urb(clip, entry, -ENOENT, 0);
            return 1;
        }
    }
    return 0;
}

static void discard_urb(vch_clip *clip, UMockdevIoctlClient *client, UMockdevIoctlData *arg) {
    unsigned long address = *(unsigned long *)arg->data;
    if (discard_from(clip, &clip->waiting, address) || discard_from(clip, &clip->parked, address)) {
        umockdev_ioctl_client_complete(client, 0, 0);
    } else {
        /* Already completed (or unknown): the kernel answers EINVAL and libusb reaps it as usual. */
        umockdev_ioctl_client_complete(client, -1, EINVAL);
    }
}

static void write_u32(UMockdevIoctlData *arg, uint32_t value, UMockdevIoctlClient *client) {
    GError *error = NULL;
    UMockdevIoctlData *target = umockdev_ioctl_data_resolve(arg, 0, sizeof value, &error);
    if (target == NULL) {
        if (error) g_error_free(error);
        umockdev_ioctl_client_complete(client, -1, EFAULT);
        return;
    }
    umockdev_ioctl_data_update(target, 0, (guint8 *)&value, sizeof value);
    umockdev_ioctl_data_unref(target);
    umockdev_ioctl_client_complete(client, 0, 0);
}

static unsigned int read_u32(UMockdevIoctlData *arg) {
    GError *error = NULL;
    UMockdevIoctlData *source = umockdev_ioctl_data_resolve(arg, 0, sizeof(unsigned int), &error);
    if (source == NULL) {
        if (error) g_error_free(error);
        return 0;
    }
    unsigned int value = *(unsigned int *)source->data;
    umockdev_ioctl_data_unref(source);
    return value;
}

static void control_ioctl(vch_clip *clip, UMockdevIoctlClient *client, UMockdevIoctlData *arg) {
    GError *error = NULL;
    UMockdevIoctlData *transfer = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ctrltransfer), &error);
    if (transfer == NULL) {
        if (error) g_error_free(error);
        umockdev_ioctl_client_complete(client, -1, EFAULT);
        return;
    }
    struct usbdevfs_ctrltransfer *raw = (struct usbdevfs_ctrltransfer *)transfer->data;
    uint8_t setup[8] = {raw->bRequestType, raw->bRequest, raw->wValue & 0xff, raw->wValue >> 8,
                        raw->wIndex & 0xff, raw->wIndex >> 8, raw->wLength & 0xff, raw->wLength >> 8};
    uint8_t data[512] = {0};
    int n = control_request(clip, setup, data);
    if (n < 0) {
        umockdev_ioctl_client_complete(client, -1, EPIPE);
    } else {
        if (n > 0) {
            UMockdevIoctlData *buffer = umockdev_ioctl_data_resolve(
                transfer, offsetof(struct usbdevfs_ctrltransfer, data), raw->wLength, &error);
            if (buffer != NULL) {
                umockdev_ioctl_data_update(buffer, 0, data, n);
                umockdev_ioctl_data_unref(buffer);
            } else if (error) {
                g_error_free(error);
            }
        }
        umockdev_ioctl_client_complete(client, n, 0);
    }
    umockdev_ioctl_data_unref(transfer);
}

static gboolean handle_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client) {
    VchIoctlHandler *self = (VchIoctlHandler *)base;
    unsigned long request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);

    g_mutex_lock(&vch_lock);
    vch_clip *clip = self->clip;
    if (clip == NULL || !clip->plugged) {
        /* Unplugged: URBs completed with -ENODEV may still be reaped, everything else fails. */
        if (clip != NULL && (request == USBDEVFS_REAPURB || request == USBDEVFS_REAPURBNDELAY) &&
            !g_queue_is_empty(&clip->completed)) {
            reap_urb(clip, client, arg);
        } else {
            umockdev_ioctl_client_complete(client, -1, ENODEV);
        }
        g_mutex_unlock(&vch_lock);
        return TRUE;
    }
    if (clip->handler_context == NULL) {
        /* The first ioctl tells us which main context umockdev serves this device on: retry
         * waiting IN URBs there, so every callback comes from that one thread. */
        clip->handler_context = g_main_context_ref(g_main_context_get_thread_default()
                                                       ? g_main_context_get_thread_default()
                                                       : g_main_context_default());
        GSource *timer = g_timeout_source_new(VCH_RETRY_INTERVAL_MS);
        g_source_set_callback(timer, retry_timer, clip, NULL);
        clip->retry_source = g_source_attach(timer, clip->handler_context);
        g_source_unref(timer);
    }

    switch (request) {
    case USBDEVFS_SUBMITURB:
        submit_urb(clip, client, arg);
        break;
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
        reap_urb(clip, client, arg);
        break;
    case USBDEVFS_DISCARDURB:
        discard_urb(clip, client, arg);
        break;
    case USBDEVFS_GET_CAPABILITIES:
        write_u32(arg, USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                           USBDEVFS_CAP_REAP_AFTER_DISCONNECT, client);
        break;
    case USBDEVFS_CLEAR_HALT: {
        unsigned int endpoint = read_u32(arg);
        if (verbose()) fprintf(stderr, "virtual-clip: %s CLEAR_HALT 0x%02x\n", clip->devnode, endpoint);
        clip->halted[halt_index((uint8_t)endpoint)] = 0;
        if (clip->callbacks.clear_halt) clip->callbacks.clear_halt(clip->callbacks.context, (uint8_t)endpoint);
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
    case USBDEVFS_RESETEP: {
        unsigned int endpoint = read_u32(arg);
        clip->halted[halt_index((uint8_t)endpoint)] = 0;
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
    case USBDEVFS_RESET:
        if (verbose()) fprintf(stderr, "virtual-clip: %s RESET\n", clip->devnode);
        clip->halted[0] = clip->halted[1] = 0;
        if (clip->callbacks.reset) clip->callbacks.reset(clip->callbacks.context);
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE: {
        unsigned int interface = read_u32(arg);
        umockdev_ioctl_client_complete(client, interface == 0 ? 0 : -1, interface == 0 ? 0 : EINVAL);
        break;
    }
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_SETCONFIGURATION:
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_GETDRIVER:
        /* No kernel driver is bound to the clip's interface. */
        umockdev_ioctl_client_complete(client, -1, ENODATA);
        break;
    case USBDEVFS_CONTROL:
        control_ioctl(clip, client, arg);
        break;
    case USBDEVFS_GET_SPEED:
        umockdev_ioctl_client_complete(client, 2 /* USB_SPEED_FULL */, 0);
        break;
    default:
        fprintf(stderr, "virtual-clip: %s: unhandled ioctl 0x%lx (answered ENOTTY)\n", clip->devnode, request);
        umockdev_ioctl_client_complete(client, -1, ENOTTY);
        break;
    }
    g_mutex_unlock(&vch_lock);
    return TRUE;
}

static void vch_ioctl_handler_class_init(VchIoctlHandlerClass *klass) {
    UMOCKDEV_IOCTL_BASE_CLASS(klass)->handle_ioctl = handle_ioctl;
}

static void vch_ioctl_handler_init(VchIoctlHandler *self) { self->clip = NULL; }

/* ---------------------------------------------------------------- hotplug uevents */

/* umockdev_testbed_uevent() needs the sending process to run under the preload (it looks the
 * device up through libudev), which virtual-clip does not. So the clip announces itself: the
 * preloaded host's udev monitors (libusb's hotplug thread among them) listen on unix datagram
 * sockets <root>/event<N>, and read libudev's monitor message format: a header, then
 * NUL-separated KEY=value properties. */
struct vch_monitor_header {
    char prefix[8];              /* "libudev" */
    unsigned int magic;          /* 0xfeedcafe, network order */
    unsigned int header_size;
    unsigned int properties_off;
    unsigned int properties_len;
    unsigned int filter_subsystem_hash; /* MurmurHash2 of the subsystem, network order */
    unsigned int filter_devtype_hash;
    unsigned int filter_tag_bloom_hi;
    unsigned int filter_tag_bloom_lo;
};

/* MurmurHash2 (32 bit, seed = length), as libudev's monitor filters use. */
static uint32_t murmur_hash2(const char *text) {
    const uint32_t m = 0x5bd1e995;
    size_t length = strlen(text);
    uint32_t h = (uint32_t)length;
    const unsigned char *bytes = (const unsigned char *)text;
    while (length >= 4) {
        uint32_t k;
        memcpy(&k, bytes, 4);
        k *= m; k ^= k >> 24; k *= m;
        h *= m; h ^= k;
        bytes += 4; length -= 4;
    }
    switch (length) {
    case 3: h ^= (uint32_t)bytes[2] << 16; /* fall through */
    case 2: h ^= (uint32_t)bytes[1] << 8;  /* fall through */
    case 1: h ^= bytes[0]; h *= m;
    }
    h ^= h >> 13; h *= m; h ^= h >> 15;
    return h;
}

static void send_uevent(vch_clip *clip, const char *action) {
    static unsigned long long sequence_number = 1;
    if (!clip->testbed->hotplug_events) return;
    char properties[1024];
    int length = snprintf(properties, sizeof properties,
                          "ACTION=%s%cDEVPATH=%s%cSUBSYSTEM=usb%cSEQNUM=%llu%cDEVNAME=%s%cDEVTYPE=usb_device%c",
                          action, 0, clip->syspath + strlen("/sys"), 0, 0, sequence_number++, 0, clip->devnode, 0, 0);
    if (length <= 0 || (size_t)length >= sizeof properties) return;

    struct vch_monitor_header header;
    memset(&header, 0, sizeof header);
    memcpy(header.prefix, "libudev", 8);
    header.magic = htonl(0xfeedcafe);
    header.header_size = sizeof header;
    header.properties_off = sizeof header;
    header.properties_len = (unsigned int)length;
    header.filter_subsystem_hash = htonl(murmur_hash2("usb"));
    header.filter_devtype_hash = htonl(murmur_hash2("usb_device"));

    char *pattern = g_strdup_printf("%s/event[0-9]*", clip->testbed->root_dir);
    glob_t listeners;
    if (glob(pattern, GLOB_NOSORT, NULL, &listeners) == 0) {
        for (size_t i = 0; i < listeners.gl_pathc; i++) {
            int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            if (fd < 0) continue;
            struct sockaddr_un address = {.sun_family = AF_UNIX};
            strncpy(address.sun_path, listeners.gl_pathv[i], sizeof address.sun_path - 1);
            struct iovec parts[2] = {{&header, sizeof header}, {properties, (size_t)length}};
            struct msghdr message = {.msg_name = &address, .msg_namelen = sizeof address, .msg_iov = parts, .msg_iovlen = 2};
            if (sendmsg(fd, &message, 0) < 0 && errno == ECONNREFUSED) {
                unlink(listeners.gl_pathv[i]); /* the listener is gone */
            } else if (verbose()) {
                fprintf(stderr, "virtual-clip: uevent %s %s -> %s\n", action, clip->devnode, listeners.gl_pathv[i]);
            }
            close(fd);
        }
        globfree(&listeners);
    }
    g_free(pattern);
}

/* ---------------------------------------------------------------- testbed and clips */

vch_testbed *vch_testbed_new(void) {
    vch_testbed *testbed = g_new0(vch_testbed, 1);
    testbed->testbed = umockdev_testbed_new();
    testbed->root_dir = umockdev_testbed_get_root_dir(testbed->testbed);
    testbed->clips = g_ptr_array_new();
    testbed->hotplug_events = 1;
    return testbed;
}

void vch_testbed_set_hotplug_events(vch_testbed *testbed, int enabled) { testbed->hotplug_events = enabled ? 1 : 0; }

const char *vch_testbed_root_dir(const vch_testbed *testbed) { return testbed->root_dir; }

void vch_testbed_free(vch_testbed *testbed) {
    if (testbed == NULL) return;
    while (testbed->clips->len > 0) vch_clip_free(g_ptr_array_index(testbed->clips, testbed->clips->len - 1));
    g_ptr_array_free(testbed->clips, TRUE);
    g_object_unref(testbed->testbed); /* removes the testbed directory */
    g_free(testbed->root_dir);
    g_free(testbed);
}

static char *hex(const uint8_t *bytes, int length) {
    char *out = g_malloc(2 * (size_t)length + 1);
    for (int i = 0; i < length; i++) sprintf(out + 2 * i, "%02x", bytes[i]);
    return out;
}

vch_clip *vch_clip_new(vch_testbed *testbed, const vch_clip_description *d, vch_endpoint_callbacks callbacks) {
    if (testbed == NULL || d == NULL || callbacks.bulk_in == NULL || callbacks.bulk_out == NULL ||
        d->bus_number == 0 || d->device_address == 0 || d->device_address > 127)
        return NULL;
    vch_clip *clip = g_new0(vch_clip, 1);
    clip->testbed = testbed;
    clip->description = *d;
    clip->description.serial_number = g_strdup(d->serial_number);
    clip->description.product = g_strdup(d->product ? d->product : "Backstride clip");
    clip->description.manufacturer = g_strdup(d->manufacturer ? d->manufacturer : "Backstride");
    clip->callbacks = callbacks;
    g_queue_init(&clip->completed);
    g_queue_init(&clip->waiting);
    g_queue_init(&clip->parked);

    /* Each clip hangs off its own root hub port so that several clips and bus numbers coexist. */
    int bus = d->bus_number, address = d->device_address;
    clip->syspath = g_strdup_printf("/sys/devices/pci0000:00/0000:00:14.0/usb%d/%d-%d", bus, bus, address);
    clip->devnode = g_strdup_printf("/dev/bus/usb/%03d/%03d", bus, address);

    uint8_t descriptors[18 + 32];
    device_descriptor(&clip->description, descriptors);
    configuration_descriptor(descriptors + 18);
    char *descriptors_hex = hex(descriptors, sizeof descriptors);
    clip->description_text = g_strdup_printf(
        "P: %s\n"
        "N: bus/usb/%03d/%03d\n"
        "E: DEVNAME=%s\n"
        "E: DEVTYPE=usb_device\n"
        "E: DRIVER=usb\n"
        "E: SUBSYSTEM=usb\n"
        "E: BUSNUM=%03d\n"
        "E: DEVNUM=%03d\n"
        "E: PRODUCT=%x/%x/%x\n"
        "E: ID_SERIAL_SHORT=%s\n"
        "A: idVendor=%04x\n"
        "A: idProduct=%04x\n"
        "A: bcdDevice=%04x\n"
        "A: busnum=%d\n"
        "A: devnum=%d\n"
        "A: speed=12\n"
        "A: serial=%s\n"
        "A: product=%s\n"
        "A: manufacturer=%s\n"
        "A: bConfigurationValue=1\n"
        "A: bNumConfigurations=1\n"
        "H: descriptors=%s\n",
        clip->syspath + strlen("/sys"), bus, address, clip->devnode, bus, address, d->vendor_id, d->product_id,
        d->bcd_device, clip->description.serial_number ? clip->description.serial_number : "", d->vendor_id,
        d->product_id, d->bcd_device, bus, address,
        clip->description.serial_number ? clip->description.serial_number : "", clip->description.product,
        clip->description.manufacturer, descriptors_hex);
    g_free(descriptors_hex);
    g_ptr_array_add(testbed->clips, clip);
    return clip;
}

int vch_clip_plug(vch_clip *clip, char **error_message) {
    g_mutex_lock(&vch_lock);
    if (clip->plugged) {
        g_mutex_unlock(&vch_lock);
        return 0;
    }
    if (clip->handler != NULL) {
        /* Replug: the host's file descriptors of the previous connection stay dead. */
        clip->handler->clip = NULL;
        g_object_unref(clip->handler);
        clip->handler = NULL;
        vch_urb *stale;
        while ((stale = g_queue_pop_head(&clip->completed)) != NULL) urb_free(stale);
    }
    GError *error = NULL;
    if (!umockdev_testbed_add_from_string(clip->testbed->testbed, clip->description_text, &error)) {
        if (error_message) *error_message = strdup(error ? error->message : "cannot add the device");
        if (error) g_error_free(error);
        g_mutex_unlock(&vch_lock);
        return -1;
    }
    VchIoctlHandler *handler = g_object_new(vch_ioctl_handler_get_type(), NULL);
    handler->clip = clip;
    if (!umockdev_testbed_attach_ioctl(clip->testbed->testbed, clip->devnode, UMOCKDEV_IOCTL_BASE(handler), &error)) {
        if (error_message) *error_message = strdup(error ? error->message : "cannot attach the ioctl handler");
        if (error) g_error_free(error);
        handler->clip = NULL;
        g_object_unref(handler);
        umockdev_testbed_remove_device(clip->testbed->testbed, clip->syspath);
        g_mutex_unlock(&vch_lock);
        return -1;
    }
    clip->handler = handler;
    clip->plugged = 1;
    clip->halted[0] = clip->halted[1] = 0;
    send_uevent(clip, "add");
    g_mutex_unlock(&vch_lock);
    return 0;
}

/* With the lock held. The device files go at once; the handler object stays attached to answer
 * ENODEV to the host's open file descriptors (umockdev keeps serving connected clients). */
static void unplug_locked(vch_clip *clip) {
    if (!clip->plugged) return;
    clip->plugged = 0;
    fail_all_in_flight(clip);
    if (clip->retry_source != 0 && clip->handler_context != NULL) {
        GSource *source = g_main_context_find_source_by_id(clip->handler_context, clip->retry_source);
        if (source != NULL) g_source_destroy(source);
    }
    clip->retry_source = 0;
    if (clip->handler_context != NULL) g_main_context_unref(clip->handler_context);
    clip->handler_context = NULL;
    send_uevent(clip, "remove");
    umockdev_testbed_detach_ioctl(clip->testbed->testbed, clip->devnode, NULL);
    umockdev_testbed_remove_device(clip->testbed->testbed, clip->syspath);
    /* The old handler keeps answering ENODEV on connections that are still open; its clip
     * pointer stays valid until vch_clip_free, which clears it. Completed -ENODEV URBs are
     * still reaped through it. */
}

void vch_clip_unplug(vch_clip *clip) {
    g_mutex_lock(&vch_lock);
    unplug_locked(clip);
    g_mutex_unlock(&vch_lock);
}

int vch_clip_is_plugged(const vch_clip *clip) {
    g_mutex_lock(&vch_lock);
    int plugged = clip->plugged;
    g_mutex_unlock(&vch_lock);
    return plugged;
}

const char *vch_clip_device_node(const vch_clip *clip) { return clip->devnode; }

char *vch_clip_umockdev_description(const vch_clip *clip) { return strdup(clip->description_text); }

void vch_clip_free(vch_clip *clip) {
    if (clip == NULL) return;
    vch_clip_unplug(clip);
    g_mutex_lock(&vch_lock);
    if (clip->handler != NULL) {
        clip->handler->clip = NULL;
        g_object_unref(clip->handler);
        clip->handler = NULL;
    }
    vch_urb *entry;
    while ((entry = g_queue_pop_head(&clip->completed)) != NULL) urb_free(entry);
    g_mutex_unlock(&vch_lock);
    g_ptr_array_remove(clip->testbed->clips, clip);
    g_free((char *)clip->description.serial_number);
    g_free((char *)clip->description.product);
    g_free((char *)clip->description.manufacturer);
    g_free(clip->syspath);
    g_free(clip->devnode);
    g_free(clip->description_text);
    g_free(clip);
}

#ifndef VIRTUAL_CLIP_HANDLER_H
#define VIRTUAL_CLIP_HANDLER_H
/* Placeholder: the umockdev ioctl handler that serves the virtual clip's URBs (issue 3). */
int virtual_clip_handler_version(void);
#endif

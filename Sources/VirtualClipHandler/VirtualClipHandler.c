#include "VirtualClipHandler.h"
#include <umockdev.h>
int virtual_clip_handler_version(void) { return 0; }

import VirtualClipHandler
print("virtual-clip: handler \(virtual_clip_handler_version())")

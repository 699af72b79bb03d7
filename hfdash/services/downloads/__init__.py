"""Downloads: presigned URLs to files on disk, resumable and safe against being killed."""

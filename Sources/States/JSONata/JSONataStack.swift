#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the current thread's stack ends, with a margin kept free for the work
/// one more evaluation step may need (regular expressions, sorting, errors).
enum JSONataStack {
    /// The floor, cached per thread (finding it can mean reading /proc for the main thread).
    static func cachedFloor() -> UInt? {
        if let cached = pthread_getspecific(key) { return UInt(bitPattern: cached) }
        guard let value = floor() else { return nil }
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: value))
        return value
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static func floor() -> UInt? {
        #if canImport(Glibc)
        // pthread_getattr_np is a GNU extension the Glibc module does not import; look it up.
        typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return nil }
        let getattr = unsafeBitCast(symbol, to: GetAttr.self)
        var attributes = pthread_attr_t()
        guard getattr(pthread_self(), &attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        var address: UnsafeMutableRawPointer? = nil
        var size = 0
        guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return nil }
        let low = UInt(bitPattern: address)
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        let size = pthread_get_stacksize_np(pthread_self())
        let low = top - UInt(size)
        #endif
        let margin = UInt(min(256 * 1024, size / 3))
        return low + margin
    }
}
